// Value ordering of RTDB (docs/protocol.md §15; core/snap/LeafNode.ts compareTo, ChildrenNode.ts compareTo):
// null < false < true < numbers < strings < objects (all objects equal); ties by key.
import { nameCompare } from '../tree/keys.js';
import { Branch, childOf, leafValue, priorityOf, type Node } from '../tree/node.js';

/** Marks "an object is here" among index values. */
export const OBJECT_VALUE = Symbol('object');
export type IndexValue = string | number | boolean | null | typeof OBJECT_VALUE;

export type QueryIndex =
  | { kind: 'priority' }
  | { kind: 'key' }
  | { kind: 'value' }
  | { kind: 'child'; path: readonly string[] };

function rank(v: IndexValue): number {
  if (v === null) return 0;
  if (v === false) return 1;
  if (v === true) return 2;
  if (typeof v === 'number') return 3;
  if (typeof v === 'string') return 4;
  return 5;
}

export function compareIndexValues(a: IndexValue, b: IndexValue): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return 0;
}

export function nodeIndexValue(node: Node | null): IndexValue {
  if (node === null) return null;
  return node instanceof Branch ? OBJECT_VALUE : leafValue(node);
}

/** The value a child is ordered by under `index` (the key itself for the key index). */
export function indexValueOf(index: QueryIndex, key: string, child: Node): IndexValue {
  switch (index.kind) {
    case 'key':
      return key;
    case 'priority':
      return priorityOf(child);
    case 'value':
      return nodeIndexValue(child);
    case 'child': {
      let cur: Node | null = child;
      for (const seg of index.path) cur = childOf(cur, seg);
      return nodeIndexValue(cur);
    }
  }
}

/** A position in index order: (value, key). */
export interface Post {
  readonly value: IndexValue;
  readonly key: string;
}

export function comparePosts(index: QueryIndex, a: Post, b: Post): number {
  if (index.kind === 'key') return nameCompare(a.key, b.key);
  const c = compareIndexValues(a.value, b.value);
  return c !== 0 ? c : nameCompare(a.key, b.key);
}
