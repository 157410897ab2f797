// Stored nodes. Leaves without priority are bare primitives (a million readings hold
// millions of leaves; an object per leaf would double the memory). Branches are never empty.
import { nameCompare } from './keys.js';
import type { Priority } from '../contracts.js';

export type LeafValue = string | number | boolean;

export class PriorityLeaf {
  constructor(
    readonly value: LeafValue,
    readonly priority: string | number,
  ) {}
}

export class Branch {
  /** Key-ordered keys, rebuilt lazily; appends in order (push ids) keep it warm. */
  private sorted: string[] | null = null;

  constructor(
    readonly children: Map<string, Node>,
    public priority: string | number | null = null,
  ) {}

  sortedKeys(): string[] {
    if (this.sorted === null) this.sorted = [...this.children.keys()].sort(nameCompare);
    return this.sorted;
  }

  setChild(key: string, node: Node): void {
    const isNew = !this.children.has(key);
    this.children.set(key, node);
    if (!isNew || this.sorted === null) return;
    const last = this.sorted[this.sorted.length - 1];
    if (last === undefined || nameCompare(last, key) < 0) this.sorted.push(key);
    else this.sorted = null;
  }

  deleteChild(key: string): void {
    if (!this.children.delete(key)) return;
    if (this.sorted !== null && this.sorted[this.sorted.length - 1] === key) this.sorted.pop();
    else this.sorted = null;
  }
}

export type Node = LeafValue | PriorityLeaf | Branch;

export function isBranch(node: Node | null | undefined): node is Branch {
  return node instanceof Branch;
}

export function leafValue(node: Node): LeafValue | null {
  if (node instanceof Branch) return null;
  return node instanceof PriorityLeaf ? node.value : node;
}

export function priorityOf(node: Node | null | undefined): Priority {
  if (node === null || node === undefined) return null;
  if (node instanceof Branch || node instanceof PriorityLeaf) return node.priority;
  return null;
}

export function childOf(node: Node | null | undefined, key: string): Node | null {
  return node instanceof Branch ? (node.children.get(key) ?? null) : null;
}

export function nodeAt(node: Node | null, path: readonly string[]): Node | null {
  let cur = node;
  for (const key of path) {
    cur = childOf(cur, key);
    if (cur === null) return null;
  }
  return cur;
}

/** The same node with another priority (children shared, not copied). Empty nodes carry none. */
export function withPriority(node: Node | null, priority: string | number | null): Node | null {
  if (node === null) return null;
  if (node instanceof Branch) {
    const copy = new Branch(node.children, priority);
    return copy;
  }
  const value = leafValue(node)!;
  return priority === null ? value : new PriorityLeaf(value, priority);
}

/** Export format: `.priority` / `.value` kept (spec §1.10). */
export function exportJson(node: Node | null): unknown {
  if (node === null) return null;
  if (node instanceof PriorityLeaf) return { '.value': node.value, '.priority': node.priority };
  if (!(node instanceof Branch)) return node;
  const out: Record<string, unknown> = {};
  for (const key of node.sortedKeys()) out[key] = exportJson(node.children.get(key)!);
  if (node.priority !== null) out['.priority'] = node.priority;
  return out;
}

// Integer keys turn an object into an array when dense enough (core/snap/ChildrenNode.ts val).
const ARRAY_KEY = /^(0|[1-9]\d*)$/;

/** Plain JSON without priorities; dense integer-keyed objects become arrays, like the SDK's val(). */
export function plainJson(node: Node | null): unknown {
  if (node === null) return null;
  if (!(node instanceof Branch)) return leafValue(node);
  const out: Record<string, unknown> = {};
  let maxKey = 0;
  let allInteger = true;
  for (const key of node.sortedKeys()) {
    out[key] = plainJson(node.children.get(key)!);
    if (allInteger && ARRAY_KEY.test(key)) maxKey = Math.max(maxKey, Number(key));
    else allInteger = false;
  }
  if (allInteger && maxKey < 2 * node.children.size) {
    const array: unknown[] = [];
    for (const [key, value] of Object.entries(out)) array[Number(key)] = value;
    for (let i = 0; i < array.length; i++) if (array[i] === undefined) array[i] = null;
    return array;
  }
  return out;
}

/** Structural equality including priorities. */
export function deepEqualNodes(a: Node | null, b: Node | null): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  if (priorityOf(a) !== priorityOf(b)) return false;
  if (a instanceof Branch) {
    if (!(b instanceof Branch) || a.children.size !== b.children.size) return false;
    for (const [key, child] of a.children) {
      if (!deepEqualNodes(child, b.children.get(key) ?? null)) return false;
    }
    return true;
  }
  if (b instanceof Branch) return false;
  return leafValue(a) === leafValue(b);
}
