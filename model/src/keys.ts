// Id rules of the data contract, on top of the RTDB key rules of the toolkit (rtdb/keys.ts).
import { ContractError, describeValue } from './errors.js';
import {
  CHANNEL_PATTERN,
  DEVICE_ID_PATTERN,
  MINUTE_KEY_PATTERN,
  PUSH_ID_PATTERN,
  UID_MAX_CHARS,
  ZONE_ID_PATTERN,
} from './limits.js';

import { keyProblem } from './rtdb/keys.js';

function check(
  argName: string,
  value: unknown,
  pattern: RegExp | undefined,
  patternRule: string,
): string {
  const problem = keyProblem(value);
  if (problem !== undefined) {
    throw new ContractError('invalid-key', argName, `${argName}: ${problem}`);
  }
  const key = value as string;
  if (pattern && !pattern.test(key)) {
    throw new ContractError(
      'invalid-key',
      argName,
      `${argName}: ${patternRule} (got ${describeValue(key)})`,
    );
  }
  return key;
}

export const DEVICE_ID_RULE =
  'must be 2..63 characters of lowercase letters, digits and "-", starting with a letter or digit';
export const ZONE_ID_RULE =
  'must be 1..63 characters of lowercase letters, digits and "-", starting with a letter or digit';
export const CHANNEL_RULE =
  'must be 1..32 characters of lowercase letters, digits and "-", starting with a letter or digit';
export const PUSH_ID_RULE = 'must be 1..64 characters of A-Z a-z 0-9 "-" "_" (the push-id alphabet)';
export const UID_RULE = `must be at most ${UID_MAX_CHARS} characters`;
export const MINUTE_KEY_RULE = 'must be a UTC minute written as YYYYMMDDHHmm (12 digits)';

/** Throws a ContractError naming `argName` unless `value` is a valid device id. */
export function assertDeviceId(value: unknown, argName = 'deviceId'): string {
  return check(argName, value, DEVICE_ID_PATTERN, DEVICE_ID_RULE);
}

export function assertZoneId(value: unknown, argName = 'zoneId'): string {
  return check(argName, value, ZONE_ID_PATTERN, ZONE_ID_RULE);
}

export function assertChannel(value: unknown, argName = 'channel'): string {
  return check(argName, value, CHANNEL_PATTERN, CHANNEL_RULE);
}

/** Reading and command ids (push ids or client-generated ids of the same alphabet). */
export function assertPushId(value: unknown, argName = 'id'): string {
  return check(argName, value, PUSH_ID_PATTERN, PUSH_ID_RULE);
}

/** Firebase Auth uids: any valid RTDB key of at most 128 characters. */
export function assertUid(value: unknown, argName = 'uid'): string {
  const key = check(argName, value, undefined, '');
  if (key.length > UID_MAX_CHARS) {
    throw new ContractError('invalid-key', argName, `${argName}: ${UID_RULE} (got ${key.length})`);
  }
  return key;
}

export function assertMinuteKey(value: unknown, argName = 'minuteKey'): string {
  return check(argName, value, MINUTE_KEY_PATTERN, MINUTE_KEY_RULE);
}

/** Throws unless `value` is a valid RTDB key (no id pattern applied). */
export function assertKey(value: unknown, argName = 'key'): string {
  return check(argName, value, undefined, '');
}
