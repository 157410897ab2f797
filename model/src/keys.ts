import { ContractError, describeValue } from './errors.js';
import {
  CHANNEL_PATTERN,
  DEVICE_ID_PATTERN,
  KEY_MAX_BYTES,
  MINUTE_KEY_PATTERN,
  PUSH_ID_PATTERN,
  UID_MAX_CHARS,
  ZONE_ID_PATTERN,
} from './limits.js';

// RTDB key rules: https://firebase.google.com/docs/database/web/structure-data ("keys ... cannot
// contain . $ # [ ] / or ASCII control characters 0-31 or 127"), at most 768 bytes of UTF-8.
const FORBIDDEN_KEY_CHAR = /[.#$[\]/\x00-\x1f\x7f]/;
// TextEncoder rather than Buffer: this package also runs in the browser (web/).
const utf8 = new TextEncoder();

/** Why `key` is not a valid RTDB key, or `undefined` when it is one. */
export function keyProblem(key: unknown): string | undefined {
  if (typeof key !== 'string') return `must be a string (got ${describeValue(key)})`;
  if (key.length === 0) return 'must not be empty';
  const bytes = utf8.encode(key).length;
  if (bytes > KEY_MAX_BYTES) return `must be at most ${KEY_MAX_BYTES} bytes of UTF-8 (got ${bytes})`;
  const bad = FORBIDDEN_KEY_CHAR.exec(key);
  if (bad) {
    const shown = /[\x00-\x1f\x7f]/.test(bad[0])
      ? `control character 0x${bad[0].charCodeAt(0).toString(16).padStart(2, '0')}`
      : `"${bad[0]}"`;
    return `must not contain . # $ [ ] / or control characters (found ${shown} at index ${bad.index})`;
  }
  return undefined;
}

export function isValidKey(key: unknown): key is string {
  return keyProblem(key) === undefined;
}

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
