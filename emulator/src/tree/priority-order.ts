// Priority index order (core/snap/indexes/PriorityIndex.ts): no priority first, then numbers
// ascending, then strings; ties by key order. Used by the default query index and the hash.
import { nameCompare } from './keys.js';
import { priorityOf, type Branch } from './node.js';
import type { Priority } from '../contracts.js';

export function comparePriorities(a: Priority, b: Priority): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  if (typeof a === 'number') {
    if (typeof b === 'number') return a - b;
    return -1;
  }
  if (typeof b === 'number') return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Children keys in priority order; key order when no child has a priority (the common case). */
export function priorityOrderedKeys(node: Branch): readonly string[] {
  const keys = node.sortedKeys();
  let anyPriority = false;
  for (const child of node.values()) {
    if (priorityOf(child) !== null) {
      anyPriority = true;
      break;
    }
  }
  if (!anyPriority) return keys;
  return [...keys].sort((x, y) => {
    const c = comparePriorities(priorityOf(node.get(x)), priorityOf(node.get(y)));
    return c !== 0 ? c : nameCompare(x, y);
  });
}
