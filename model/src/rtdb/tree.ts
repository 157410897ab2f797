// A JSON tree as RTDB stores it, and its two writes: `put` (set) replaces the value at a path,
// `patch` (update) puts each listed child, whose keys may be deep paths. Null deletes, arrays
// become objects keyed "0", "1"… and empty objects disappear, as in the RTDB data model
// (https://firebase.google.com/docs/database/web/structure-data; the SDK's
// src/core/snap/nodeFromJSON.ts). The same semantics drive the REST streaming events
// (https://firebase.google.com/docs/reference/rest/database#section-streaming).
//
// Keys are data: `__proto__` is a valid RTDB key, so every object here gets its keys as own
// properties (defineProperty) and is read with Object.hasOwn, never through `obj[key] = v`,
// which would set the prototype instead.
import { splitPath } from './paths.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Sets an own property, even for `__proto__`. */
function setOwn(target: JsonObject, key: string, value: Json): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** The own child `key` of `node`, or null. */
export function childOf(node: Json | undefined, key: string): Json {
  return isJsonObject(node) && Object.hasOwn(node, key) ? (node[key] ?? null) : null;
}

function copy(node: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const key of Object.keys(node)) setOwn(out, key, node[key]!);
  return out;
}

/** What RTDB would store for `value`: no nulls, no empty objects, arrays as objects. */
export function normalise(value: Json): Json {
  if (Array.isArray(value)) {
    const out: JsonObject = {};
    value.forEach((v, i) => setOwn(out, String(i), v));
    return normalise(out);
  }
  if (!isJsonObject(value)) return value;
  const out: JsonObject = {};
  for (const key of Object.keys(value)) {
    const n = normalise(value[key]!);
    if (n !== null) setOwn(out, key, n);
  }
  return Object.keys(out).length === 0 ? null : out;
}

/** A new tree with `value` at `path` (immutable: holders of the old tree keep it unchanged). */
export function setAt(tree: Json, path: string, value: Json): Json {
  return setAtSegments(tree, splitPath(path), value);
}

function setAtSegments(tree: Json, segments: readonly string[], value: Json): Json {
  const [head, ...rest] = segments;
  if (head === undefined) return normalise(value);
  const base = isJsonObject(tree) ? copy(tree) : {};
  const child = setAtSegments(childOf(base, head), rest, value);
  if (child === null) delete base[head];
  else setOwn(base, head, child);
  return Object.keys(base).length === 0 ? null : base;
}

export function getAt(tree: Json, path: string): Json {
  let node: Json = tree;
  for (const key of splitPath(path)) node = childOf(node, key);
  return node;
}

/** A `put`: the value at `path` becomes `data`. */
export function applyPut(tree: Json, path: string, data: Json): Json {
  return setAt(tree, path, data);
}

/** A `patch` (update): each child of `data` is put below `path`; its keys may be deep paths. */
export function applyPatch(tree: Json, path: string, data: JsonObject): Json {
  let next = tree;
  for (const key of Object.keys(data)) next = setAt(next, `${path}/${key}`, data[key]!);
  return next;
}
