// Runs a query over the children of one node, replicating the client's RangedFilter and
// LimitedFilter (core/view/filter/*.ts): range first, then the limit, in index order.
import { Branch, type Node } from '../tree/node.js';
import { comparePosts, indexValueOf, type Post } from './ordering.js';
import type { Bound, QuerySpec } from './spec.js';
import { priorityOf } from '../tree/node.js';

/** Children keys of `node` in the order of the query's index. */
export function orderedKeys(node: Branch, spec: QuerySpec): string[] {
  const keys = node.sortedKeys();
  const index = spec.index;
  if (index.kind === 'key') return keys;
  if (index.kind === 'priority') {
    let anyPriority = false;
    for (const child of node.children.values()) {
      if (priorityOf(child) !== null) {
        anyPriority = true;
        break;
      }
    }
    if (!anyPriority) return keys;
  }
  const posts = keys.map((key): Post => ({ key, value: indexValueOf(index, key, node.children.get(key)!) }));
  posts.sort((a, b) => comparePosts(index, a, b));
  return posts.map((p) => p.key);
}

function boundPost(bound: Bound): Post {
  // For the key index the bound value is the key (spec §1.11 step 3).
  return { value: bound.value, key: bound.key };
}

function inRange(spec: QuerySpec, post: Post): boolean {
  const index = spec.index;
  if (spec.start) {
    const start = index.kind === 'key' ? { value: null, key: spec.start.value as string } : boundPost(spec.start);
    const c = comparePosts(index, start, post);
    if (c > 0 || (c === 0 && !spec.start.inclusive)) return false;
  }
  if (spec.end) {
    const end = index.kind === 'key' ? { value: null, key: spec.end.value as string } : boundPost(spec.end);
    const c = comparePosts(index, post, end);
    if (c > 0 || (c === 0 && !spec.end.inclusive)) return false;
  }
  return true;
}

/** Selected children keys, in index order. */
export function selectKeys(node: Node | null, spec: QuerySpec): string[] {
  if (!(node instanceof Branch)) return [];
  let keys = orderedKeys(node, spec);
  if (spec.start !== null || spec.end !== null) {
    keys = keys.filter((key) => inRange(spec, { key, value: indexValueOf(spec.index, key, node.children.get(key)!) }));
  }
  if (spec.limit !== null && keys.length > spec.limit) {
    keys = spec.fromLeft ? keys.slice(0, spec.limit) : keys.slice(keys.length - spec.limit);
  }
  return keys;
}

/** The query's result as a node of the selected children (no root priority), or null. */
export function runQuery(node: Node | null, spec: QuerySpec): Node | null {
  if (!(node instanceof Branch)) return null;
  if (spec.start === null && spec.end === null && spec.limit === null) return node;
  const keys = selectKeys(node, spec);
  if (keys.length === 0) return null;
  const children = new Map<string, Node>();
  for (const key of keys) children.set(key, node.children.get(key)!);
  return new Branch(children);
}
