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

/**
 * The keys of a small object, shared by every object with the same keys (like a hidden class):
 * a million `{ir, temp, seq, ts}` readings then hold one key list, not a Map each.
 */
interface Shape {
  readonly keys: readonly string[];
  readonly sorted: readonly string[];
}

const MAX_SHAPE_KEYS = 12;
const MAX_SHAPES = 10_000;
let shapeCount = 0;

/** Shapes in a trie keyed by the key sequence: a lookup allocates nothing. */
interface ShapeTrie {
  shape: Shape | null;
  readonly next: Map<string, ShapeTrie>;
}
const shapeRoot: ShapeTrie = { shape: null, next: new Map() };

function shapeOf(keys: readonly string[]): Shape | null {
  if (keys.length > MAX_SHAPE_KEYS) return null;
  let node = shapeRoot;
  for (const key of keys) {
    let next = node.next.get(key);
    if (next === undefined) {
      if (shapeCount >= MAX_SHAPES) return null;
      next = { shape: null, next: new Map() };
      node.next.set(key, next);
    }
    node = next;
  }
  if (node.shape === null) {
    if (shapeCount >= MAX_SHAPES) return null;
    shapeCount++;
    node.shape = { keys: [...keys], sorted: [...keys].sort(nameCompare) };
  }
  return node.shape;
}

/** A non-empty object node. Small objects share a Shape; a mutation turns one into a Map. */
export class Branch {
  private map: Map<string, Node> | null;
  private shape: Shape | null = null;
  private vals: readonly Node[] | null = null;
  /** Key-ordered keys of the Map form, rebuilt lazily; appends in order (push ids) keep it warm. */
  private sorted: string[] | null = null;
  /** The sorted array was handed out (a listen keeps it as its last window): copy before changing it. */
  private sortedShared = false;

  constructor(
    children: Map<string, Node>,
    public priority: string | number | null = null,
  ) {
    this.map = children;
  }

  /** A branch from parallel key/value lists (keys unique, values non-empty). */
  static of(keys: readonly string[], values: readonly Node[], priority: string | number | null): Branch {
    const shape = shapeOf(keys);
    if (shape === null) return new Branch(new Map(keys.map((k, i) => [k, values[i]!])), priority);
    const branch = new Branch(EMPTY_MAP, priority);
    branch.map = null;
    branch.shape = shape;
    // slice() allocates exactly `length` slots; a pushed-to array keeps growth slack (17+ slots).
    branch.vals = values.slice();
    return branch;
  }

  /** The same children under another priority; storage is shared, never copied. */
  withPriority(priority: string | number | null): Branch {
    const copy = new Branch(EMPTY_MAP, priority);
    copy.map = this.map;
    copy.shape = this.shape;
    copy.vals = this.vals;
    return copy;
  }

  /** True while the branch keeps the shared-keys form (memory: a Map costs several times more). */
  get compact(): boolean {
    return this.map === null;
  }

  get size(): number {
    return this.map !== null ? this.map.size : this.shape!.keys.length;
  }

  get(key: string): Node | undefined {
    if (this.map !== null) return this.map.get(key);
    const i = this.shape!.keys.indexOf(key);
    return i < 0 ? undefined : this.vals![i];
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  keys(): Iterable<string> {
    return this.map !== null ? this.map.keys() : this.shape!.keys;
  }

  values(): Iterable<Node> {
    return this.map !== null ? this.map.values() : this.vals!;
  }

  *entries(): IterableIterator<[string, Node]> {
    if (this.map !== null) {
      yield* this.map.entries();
      return;
    }
    const keys = this.shape!.keys;
    for (let i = 0; i < keys.length; i++) yield [keys[i]!, this.vals![i]!];
  }

  /** A fresh Map of the children (for building a modified copy). */
  copyMap(): Map<string, Node> {
    return this.map !== null ? new Map(this.map) : new Map(this.entries());
  }

  sortedKeys(): readonly string[] {
    if (this.map === null) return this.shape!.sorted;
    if (this.sorted === null) this.sorted = [...this.map.keys()].sort(nameCompare);
    this.sortedShared = true;
    return this.sorted;
  }

  /** The sorted cache, safe to change in place (copied once if a caller still holds it). */
  private ownSorted(): string[] | null {
    if (this.sorted !== null && this.sortedShared) {
      this.sorted = this.sorted.slice();
      this.sortedShared = false;
    }
    return this.sorted;
  }

  private ownMap(): Map<string, Node> {
    if (this.map === null) {
      this.sorted = [...this.shape!.sorted];
      this.sortedShared = false;
      this.map = new Map(this.entries());
      this.shape = null;
      this.vals = null;
    }
    return this.map;
  }

  setChild(key: string, node: Node): void {
    if (this.map === null && this.setShaped(key, node)) return;
    const map = this.ownMap();
    const isNew = !map.has(key);
    map.set(key, node);
    if (!isNew || this.sorted === null) return;
    const last = this.sorted[this.sorted.length - 1];
    if (last === undefined || nameCompare(last, key) < 0) this.ownSorted()!.push(key);
    else this.sorted = null;
  }

  /**
   * Sets a child while keeping the shared-keys form, so that a reading stamped with `ts` after it
   * was written stays as small as a new one instead of taking a Map and a sorted copy of its keys.
   * False when the keys would exceed a shape (the caller turns the branch into a Map).
   */
  private setShaped(key: string, node: Node): boolean {
    const keys = this.shape!.keys;
    const at = keys.indexOf(key);
    if (at >= 0) {
      // Copied, never changed in place: withPriority copies share the array.
      const vals = this.vals!.slice();
      vals[at] = node;
      this.vals = vals;
      return true;
    }
    const shape = shapeOf([...keys, key]);
    if (shape === null) return false;
    this.shape = shape;
    // concat() allocates exactly `length` slots, like slice() in Branch.of.
    this.vals = this.vals!.concat([node]);
    return true;
  }

  deleteChild(key: string): void {
    const map = this.ownMap();
    if (!map.delete(key)) return;
    if (this.sorted !== null && this.sorted[this.sorted.length - 1] === key) this.ownSorted()!.pop();
    else this.sorted = null;
  }
}

const EMPTY_MAP: Map<string, Node> = new Map();

export type Node = LeafValue | PriorityLeaf | Branch;

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
  return node instanceof Branch ? (node.get(key) ?? null) : null;
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
  if (node instanceof Branch) return node.withPriority(priority);
  const value = leafValue(node)!;
  return priority === null ? value : new PriorityLeaf(value, priority);
}

/**
 * Sets an own enumerable property, also for the key `__proto__` (a valid RTDB key), which plain
 * assignment would turn into a prototype change instead of data.
 */
export function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

/** Export format: `.priority` / `.value` kept (docs/protocol.md §7). */
export function exportJson(node: Node | null): unknown {
  if (node === null) return null;
  if (node instanceof PriorityLeaf) return { '.value': node.value, '.priority': node.priority };
  if (!(node instanceof Branch)) return node;
  const out: Record<string, unknown> = {};
  for (const key of node.sortedKeys()) setOwn(out, key, exportJson(node.get(key)!));
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
    setOwn(out, key, plainJson(node.get(key)!));
    if (allInteger && ARRAY_KEY.test(key)) maxKey = Math.max(maxKey, Number(key));
    else allInteger = false;
  }
  if (allInteger && maxKey < 2 * node.size) {
    const array: unknown[] = [];
    for (const [key, value] of Object.entries(out)) array[Number(key)] = value;
    for (let i = 0; i < array.length; i++) if (array[i] === undefined) array[i] = null;
    return array;
  }
  return out;
}
