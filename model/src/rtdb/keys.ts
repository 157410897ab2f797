// RTDB keys: what a valid key is, and the order keys sort in. Faithful to the firebase JS SDK:
//   - validity: @firebase/database src/core/util/validation.ts (INVALID_KEY_REGEX_, isValidKey),
//     plus the documented 768-byte limit (https://firebase.google.com/docs/database/usage/limits);
//   - order: src/core/util/util.ts (nameCompare, tryParseInt, INTEGER_REGEXP_ = /^-?(0*)\d{1,10}$/):
//     keys that parse as 32-bit integers come first, numerically, leading zeros allowed, and
//     among equal values the shorter key first ("7" < "07" < "007"); then the rest in UTF-16
//     code-unit order. (src/core/snap/ChildrenNode.ts has another INTEGER_REGEXP_, /^(0|[1-9]\d*)$/,
//     which only decides whether val() returns an array; it is not the key order.)

import { describeValue } from '../errors.js';
import { KEY_MAX_BYTES } from '../limits.js';

/** Sentinels of the SDK's key order (util.ts MIN_NAME / MAX_NAME), never valid keys. */
export const MIN_NAME = '[MIN_NAME]';
export const MAX_NAME = '[MAX_NAME]';

const INTEGER_KEY = /^-?(0*)\d{1,10}$/;
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
// `.` `#` `$` `[` `]` `/` and ASCII control characters 0-31 and 127 (validation.ts).
const FORBIDDEN_KEY_CHAR = /[.#$[\]/\u0000-\u001F\u007F]/;
// TextEncoder rather than Buffer: the model also runs in the browser (web/).
const utf8 = new TextEncoder();

/** Why `key` is not a valid RTDB key, or `undefined` when it is one. */
export function keyProblem(key: unknown): string | undefined {
  if (typeof key !== 'string') return `must be a string (got ${describeValue(key)})`;
  if (key.length === 0) return 'must not be empty';
  const bad = FORBIDDEN_KEY_CHAR.exec(key);
  if (bad) {
    const shown = /[\u0000-\u001F\u007F]/.test(bad[0]) ? `control character 0x${bad[0].charCodeAt(0).toString(16).padStart(2, '0')}` : `"${bad[0]}"`;
    return `must not contain . # $ [ ] / or control characters (found ${shown} at index ${bad.index})`;
  }
  // Three UTF-8 bytes per UTF-16 unit at most: encode only when it can matter.
  if (key.length * 3 > KEY_MAX_BYTES) {
    const bytes = utf8.encode(key).length;
    if (bytes > KEY_MAX_BYTES) return `must be at most ${KEY_MAX_BYTES} bytes of UTF-8 (got ${bytes})`;
  }
  return undefined;
}

/**
 * The SDK's own key check (validation.ts isValidKey): a non-empty string without forbidden
 * characters. Length is the path's concern (paths.ts); `keyProblem` checks both.
 */
export function isValidKey(key: unknown): key is string {
  return typeof key === 'string' && key.length > 0 && !FORBIDDEN_KEY_CHAR.test(key);
}

/** The 32-bit integer value of an integer-like key, else null (util.ts tryParseInt). */
export function integerKey(key: string): number | null {
  if (!INTEGER_KEY.test(key)) return null;
  const n = Number(key);
  return n >= INT32_MIN && n <= INT32_MAX ? n : null;
}

/** The RTDB key order (util.ts nameCompare), sentinels included. */
export function nameCompare(a: string, b: string): number {
  if (a === b) return 0;
  if (a === MIN_NAME || b === MAX_NAME) return -1;
  if (b === MIN_NAME || a === MAX_NAME) return 1;
  const ai = integerKey(a);
  const bi = integerKey(b);
  if (ai !== null) {
    if (bi === null) return -1;
    return ai === bi ? a.length - b.length : ai - bi;
  }
  if (bi !== null) return 1;
  return a < b ? -1 : 1;
}
