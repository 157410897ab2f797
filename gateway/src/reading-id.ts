/**
 * The key a reading received over MQTT is stored under, derived from the packet alone: the device
 * id is in the topic and the path, and the reading's `seq` is in the payload. MQTT's 16-bit packet
 * identifier cannot serve: it is reused once acknowledged and is lost with the session, so a
 * device that reconnects (perhaps to another gateway instance) and resends would get a new key.
 * `seq` is unique per reading (the rules require it to rise above the state's seq), so every
 * redelivery of one reading — QoS 1 DUP, a resend after reconnect, on any instance — lands on the
 * same key, and the rules let a key be created only once.
 *
 * Shape: `mq` + the seq in 6 characters of the push-id alphabet, whose order equals ASCII order
 * (firebase-js-sdk packages/database/src/core/util/NextPushId.ts), so keys sort by seq. 64^6 > 2^32.
 */
import { SEQ_MAX } from '@firelink/model';

const ALPHABET = '-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz';
const SEQ_CHARS = 6;
export const READING_ID_PREFIX = 'mq';

export function readingIdForSeq(seq: number): string {
  if (!Number.isInteger(seq) || seq < 0 || seq > SEQ_MAX) {
    throw new RangeError(`readingIdForSeq: seq must be an integer between 0 and ${SEQ_MAX} (got ${seq})`);
  }
  let out = '';
  let rest = seq;
  for (let i = 0; i < SEQ_CHARS; i += 1) {
    out = ALPHABET.charAt(rest % 64) + out;
    rest = Math.floor(rest / 64);
  }
  return READING_ID_PREFIX + out;
}
