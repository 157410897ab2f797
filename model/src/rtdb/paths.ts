// RTDB paths: splitting, depth and length limits. Sources: @firebase/database
// src/core/util/Path.ts (MAX_PATH_DEPTH = 32, MAX_PATH_LENGTH_BYTES = 768) and validation.ts.
import { isValidKey } from './keys.js';

export const MAX_PATH_DEPTH = 32;
export const MAX_PATH_LENGTH_BYTES = 768;

const utf8 = new TextEncoder();

/** Splits a wire or URL path (`/a/b`, `a/b/`) into segments; empty segments are dropped. */
export function splitPath(path: string): string[] {
  return path.split('/').filter((s) => s.length > 0);
}

export function pathToString(path: readonly string[]): string {
  return '/' + path.join('/');
}

/** UTF-8 bytes of the path written with `/` between segments (Path.ts byteLength). */
export function pathBytes(path: readonly string[]): number {
  let n = Math.max(0, path.length - 1);
  for (const key of path) n += utf8.encode(key).length;
  return n;
}

/** Length check without encoding when it cannot matter (at most 3 UTF-8 bytes per UTF-16 unit). */
function pathTooLong(path: readonly string[]): boolean {
  let units = Math.max(0, path.length - 1);
  for (const key of path) units += key.length;
  return units * 3 > MAX_PATH_LENGTH_BYTES && pathBytes(path) > MAX_PATH_LENGTH_BYTES;
}

/** Why a path cannot be used, or null when it is fine. `.priority` may end a write path. */
export function pathProblem(path: readonly string[], allowPriorityLeaf = false): string | null {
  for (let i = 0; i < path.length; i++) {
    const key = path[i]!;
    if (allowPriorityLeaf && i === path.length - 1 && key === '.priority') continue;
    if (!isValidKey(key)) {
      return `Invalid path ${pathToString(path)}: key "${key}" contains one of ". # $ [ ] /" or a control character`;
    }
  }
  if (path.length > MAX_PATH_DEPTH) return `Invalid path ${pathToString(path)}: deeper than ${MAX_PATH_DEPTH} levels`;
  if (pathTooLong(path)) return `Invalid path ${pathToString(path)}: longer than ${MAX_PATH_LENGTH_BYTES} bytes`;
  return null;
}

export function isPrefix(prefix: readonly string[], path: readonly string[]): boolean {
  if (prefix.length > path.length) return false;
  for (let i = 0; i < prefix.length; i++) if (prefix[i] !== path[i]) return false;
  return true;
}
