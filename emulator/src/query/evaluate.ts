// Runs a query over the children of one node, replicating the client's RangedFilter and
// LimitedFilter (core/view/filter/*.ts): range first, then the limit, in index order.
import { Branch, type Node } from '../tree/node.js';
import { comparePosts, indexValueOf, type Post } from './ordering.js';
import type { Bound, QuerySpec } from './spec.js';
import { priorityOf } from '../tree/node.js';

function anyPriority(node: Branch): boolean {
  for (const child of node.values()) if (priorityOf(child) !== null) return true;
  return false;
}

/** True when key order is the index order (key index, or priority index without priorities). */
function keyOrdered(node: Branch, spec: QuerySpec): boolean {
  return spec.index.kind === 'key' || (spec.index.kind === 'priority' && !anyPriority(node));
}

function boundPost(bound: Bound): Post {
  // For the key index the bound value is the key (docs/protocol.md §15).
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

/** Selected children keys, in index order. Never mutate the returned array. */
export function selectKeys(node: Node | null, spec: QuerySpec): readonly string[] {
  if (!(node instanceof Branch)) return [];
  const ranged = spec.start !== null || spec.end !== null;
  if (keyOrdered(node, spec)) {
    // Key order is cached on the branch: a limit window costs O(limit) without a range.
    let keys: readonly string[] = node.sortedKeys();
    if (ranged) keys = keys.filter((key) => inRange(spec, { key, value: spec.index.kind === 'key' ? key : null }));
    if (spec.limit !== null && keys.length > spec.limit) {
      keys = spec.fromLeft ? keys.slice(0, spec.limit) : keys.slice(keys.length - spec.limit);
    }
    return keys;
  }
  const index = spec.index;
  const posts: Post[] = [];
  for (const [key, child] of node.entries()) {
    const post: Post = { key, value: indexValueOf(index, key, child) };
    if (!ranged || inRange(spec, post)) posts.push(post);
  }
  const limit = spec.limit;
  if (limit === null || posts.length <= limit) return posts.sort((a, b) => comparePosts(index, a, b)).map((p) => p.key);
  // Bounded selection, O(n log limit): keep the `limit` best posts sorted, best-first order kept.
  const better = spec.fromLeft ? (a: Post, b: Post) => comparePosts(index, a, b) : (a: Post, b: Post) => comparePosts(index, b, a);
  const kept: Post[] = [];
  for (const post of posts) {
    if (kept.length === limit && better(post, kept[limit - 1]!) >= 0) continue;
    let lo = 0;
    let hi = kept.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (better(kept[mid]!, post) < 0) lo = mid + 1;
      else hi = mid;
    }
    kept.splice(lo, 0, post);
    if (kept.length > limit) kept.pop();
  }
  if (!spec.fromLeft) kept.reverse();
  return kept.map((p) => p.key);
}

/** The query's result as a node of the selected children (no root priority), or null. */
export function runQuery(node: Node | null, spec: QuerySpec): Node | null {
  if (!(node instanceof Branch)) return null;
  if (spec.start === null && spec.end === null && spec.limit === null) return node;
  const keys = selectKeys(node, spec);
  if (keys.length === 0) return null;
  const children = new Map<string, Node>();
  for (const key of keys) children.set(key, node.get(key)!);
  return new Branch(children);
}
