// The order of RTDB query results, for clients that must sort what REST returns unordered
// (https://firebase.google.com/docs/database/rest/retrieve-data "Sorting data"). Sources in
// @firebase/database: src/core/snap/indexes/KeyIndex.ts (by key: nameCompare),
// ValueIndex.ts and PathIndex.ts (by value or child, then by key), src/core/snap/LeafNode.ts
// (VALUE_TYPE_ORDER = object, boolean, number, string is the leaf order; a missing child or null
// sorts first, a non-leaf child last), src/core/snap/ChildrenNode.ts (compareTo).
import { nameCompare } from './keys.js';
import { childOf, isJsonObject, type Json } from './tree.js';

export type QueryOrder = { kind: 'key' } | { kind: 'value' } | { kind: 'child'; child: string };

function rank(v: Json | undefined): number {
  if (v === null || v === undefined) return 0;
  if (v === false) return 1;
  if (v === true) return 2;
  if (typeof v === 'number') return 3;
  if (typeof v === 'string') return 4;
  return 5;
}

/** Value order: null, false, true, numbers ascending, strings in UTF-16 order, then objects (equal). */
export function compareValues(a: Json | undefined, b: Json | undefined): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return 0;
}

function childAt(value: Json, path: string): Json {
  let node: Json = value;
  for (const key of path.split('/').filter(Boolean)) node = childOf(node, key);
  return node;
}

/** The children of `result` as [key, value] pairs in query order (ties by key). */
export function orderedChildren(result: Json, order: QueryOrder): [string, Json][] {
  if (!isJsonObject(result) && !Array.isArray(result)) return [];
  const entries: [string, Json][] = Array.isArray(result) ? result.map((v, i) => [String(i), v]) : Object.keys(result).map((k) => [k, result[k]!]);
  return entries.sort(([ka, va], [kb, vb]) => {
    const byValue = order.kind === 'key' ? 0 : order.kind === 'value' ? compareValues(va, vb) : compareValues(childAt(va, order.child), childAt(vb, order.child));
    return byValue || nameCompare(ka, kb);
  });
}
