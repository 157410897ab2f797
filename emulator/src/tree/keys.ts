// Key ordering and key/path validation, as the SDK does it.
// Sources: @firebase/database core/util/util.ts (nameCompare, tryParseInt),
// core/util/validation.ts (INVALID_KEY_REGEX_), core/util/Path.ts (MAX_PATH_*).
import type { PathSegments } from '../contracts.js';

export const MIN_NAME = '[MIN_NAME]';
export const MAX_NAME = '[MAX_NAME]';
export const MAX_PATH_DEPTH = 32;
export const MAX_PATH_LENGTH_BYTES = 768;

const INTEGER_KEY = /^-?(0*)\d{1,10}$/;
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
// `.` `#` `$` `[` `]` `/` and ASCII control characters (core/util/validation.ts).
const INVALID_KEY = /[[\].#$/\u0000-\u001F\u007F]/;

/** Integer value of an integer-like key, else null (core/util/util.ts tryParseInt). */
export function integerKey(key: string): number | null {
  if (!INTEGER_KEY.test(key)) return null;
  const n = Number(key);
  return n >= INT32_MIN && n <= INT32_MAX ? n : null;
}

/** The RTDB key order: integer-like keys first (numeric, shorter first on ties), then UTF-16 order. */
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

export function isValidKey(key: string): boolean {
  return key.length > 0 && !INVALID_KEY.test(key);
}

/** Splits a wire or URL path (`/a/b`, `a/b/`) into segments; empty segments are dropped. */
export function splitPath(path: string): string[] {
  return path.split('/').filter((s) => s.length > 0);
}

export function pathToString(path: PathSegments): string {
  return '/' + path.join('/');
}

/** Why a path cannot be used, or null when it is fine. `.priority` may end a write path. */
export function pathProblem(path: PathSegments, allowPriorityLeaf = false): string | null {
  for (let i = 0; i < path.length; i++) {
    const key = path[i]!;
    if (allowPriorityLeaf && i === path.length - 1 && key === '.priority') continue;
    if (!isValidKey(key)) {
      return `Invalid path ${pathToString(path)}: key "${key}" contains one of ". # $ [ ] /" or a control character`;
    }
  }
  if (path.length > MAX_PATH_DEPTH) {
    return `Invalid path ${pathToString(path)}: deeper than ${MAX_PATH_DEPTH} levels`;
  }
  if (pathTooLong(path)) {
    return `Invalid path ${pathToString(path)}: longer than ${MAX_PATH_LENGTH_BYTES} bytes`;
  }
  return null;
}

export function pathBytes(path: PathSegments): number {
  let n = Math.max(0, path.length - 1);
  for (const key of path) n += Buffer.byteLength(key, 'utf8');
  return n;
}

/** Path length check without encoding when it cannot matter (≤ 3 UTF-8 bytes per UTF-16 unit). */
function pathTooLong(path: PathSegments): boolean {
  let units = Math.max(0, path.length - 1);
  for (const key of path) units += key.length;
  return units * 3 > MAX_PATH_LENGTH_BYTES && pathBytes(path) > MAX_PATH_LENGTH_BYTES;
}

export function isPrefix(prefix: PathSegments, path: PathSegments): boolean {
  if (prefix.length > path.length) return false;
  for (let i = 0; i < prefix.length; i++) if (prefix[i] !== path[i]) return false;
  return true;
}
