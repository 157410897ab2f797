/**
 * MQTT → RTDB: what one accepted device publish becomes, written as the device.
 *
 * | topic | write |
 * | `…/readings` | PUT `devices/{id}/readings/{readingIdForSeq(seq)}` (the reading JSON, unchanged) |
 * | `…/status` | PUT `devices/{id}/status` `{online, lastSeen: server time, fw, rssi?}` |
 * | `…/commands/{cid}/ack` | PATCH `devices/{id}/commands/{cid}` `{ackAt: server time, result}` |
 * | `…/auth` | none: the session continues with the new ID token |
 */
import type { Database } from 'firebase-admin/database';
import { commandPath, readingPath } from '@firelink/model';
import { verifyDevice, type TokenVerifier } from './auth.js';
import { SERVER_TIMESTAMP, type DeviceWriter, type WriteOutcome } from './device-writer.js';
import type { DevicePayload } from './payloads.js';
import type { Presence } from './presence.js';
import { readingIdForSeq } from './reading-id.js';
import { ReasonCode, refusal, type Refusal } from './reason-codes.js';
import type { Session } from './session.js';

export type PublishOutcome =
  | { kind: 'accepted'; note?: 'already-stored' | 'token-renewed' }
  | { kind: 'refused'; refusal: Refusal }
  /** The database did not answer: close without acknowledging, so the device redelivers. */
  | { kind: 'unavailable'; message: string }
  /** The database no longer accepts the session's token: close the session. */
  | { kind: 'token-refused'; message: string };

export interface PublishDeps {
  writer: DeviceWriter;
  presence: Presence;
  verify: TokenVerifier;
  /** Read-only check that a refused reading is in fact the stored one (a redelivery), on the device's shard. */
  adminDb: (instance: string) => Database;
}

function fromWrite(outcome: WriteOutcome, denied: string): PublishOutcome {
  if (outcome.ok) return { kind: 'accepted' };
  switch (outcome.kind) {
    case 'denied':
      return { kind: 'refused', refusal: refusal(ReasonCode.notAuthorized, `${denied} (${outcome.message})`) };
    case 'bad-request':
      return { kind: 'refused', refusal: refusal(ReasonCode.payloadFormatInvalid, outcome.message) };
    case 'token-refused':
      return { kind: 'token-refused', message: outcome.message };
    default:
      return { kind: 'unavailable', message: outcome.message };
  }
}

export async function applyPublish(deps: PublishDeps, session: Session, payload: DevicePayload, commandId?: string): Promise<PublishOutcome> {
  const { deviceId, token, instance } = session;
  switch (payload.kind) {
    case 'readings': {
      const readingId = readingIdForSeq(payload.value.seq);
      const path = readingPath(deviceId, readingId);
      const outcome = await deps.writer.put(path, payload.value, token, instance);
      if (!outcome.ok && outcome.kind === 'denied') {
        // The rules create a reading once: a redelivery of a stored reading is refused. Only a
        // reading already stored under this seq counts as acknowledged.
        const stored = (await deps.adminDb(instance).ref(path).get()).val() as { seq?: unknown } | null;
        if (stored !== null && stored.seq === payload.value.seq) return { kind: 'accepted', note: 'already-stored' };
      }
      return fromWrite(outcome, 'the rules refused the reading: seq must rise above the state\'s seq and deviceTs must not lie ahead of server time');
    }
    case 'status': {
      if (payload.value.fw !== undefined) session.fw = payload.value.fw;
      const outcome = await deps.presence.write({
        deviceId,
        token,
        online: payload.value.online ?? true,
        fw: payload.value.fw,
        rssi: payload.value.rssi,
        instance,
      });
      return fromWrite(outcome, 'the rules refused the status');
    }
    case 'ack': {
      const path = commandPath(deviceId, commandId ?? '');
      const outcome = await deps.writer.patch(path, { ackAt: SERVER_TIMESTAMP, result: payload.value }, token, instance);
      return fromWrite(outcome, `command ${commandId} is not pending (unknown, already answered or expired)`);
    }
    case 'auth': {
      const verified = await verifyDevice(deps.verify, deviceId, payload.value);
      if (!verified.ok) return { kind: 'refused', refusal: refusal(ReasonCode.notAuthorized, `token renewal refused: ${verified.reason}`) };
      if (verified.identity.uid !== session.uid) {
        return { kind: 'refused', refusal: refusal(ReasonCode.notAuthorized, 'token renewal refused: the token belongs to another account') };
      }
      session.token = verified.identity.token;
      session.expiresAtMs = verified.identity.expiresAtMs;
      return { kind: 'accepted', note: 'token-renewed' };
    }
  }
}
