// RuleDataSnapshot of the rules language (Firebase rules reference, "RuleDataSnapshot"), over a
// NodeView. Each snapshot links to its parent, so `parent()` is O(1) and no path arrays are
// built while rules walk the tree.
import type { NodeView } from '../contracts.js';

/** Thrown for a runtime error inside an expression; the rule then evaluates to false (docs/protocol.md §16). */
export class RuleFailure extends Error {
  override readonly name = 'RuleFailure';
}

/**
 * What `val()` returns for a node with children: RTDB returns an opaque sentinel instead of an
 * object so that rules stay cheap (rules reference, "val()"); it equals nothing and has no members.
 */
export const OBJECT_SENTINEL: unique symbol = Symbol('rules.objectValue');

// Computed child paths repeat (`'devices/' + $deviceId`, `auth.uid`): remember recent splits.
const SPLIT_CACHE_LIMIT = 4096;
const splitCache = new Map<string, readonly string[] | string>();

/** Splits a `child()` path into keys, or returns a reason it is not a valid path. */
export function splitChildPath(relativePath: string): readonly string[] | string {
  let keys = splitCache.get(relativePath);
  if (keys === undefined) {
    keys = splitUncached(relativePath);
    if (splitCache.size >= SPLIT_CACHE_LIMIT) splitCache.clear();
    splitCache.set(relativePath, keys);
  }
  return keys;
}

// A key that cannot exist in the database (e.g. `bob@example.com`, with its `.`) is not an
// error: that child is simply absent (goldibex/targaryen fixtures recorded from the live service).
function splitUncached(relativePath: string): readonly string[] | string {
  const segments = relativePath.split('/');
  const keys = segments.length === 1 || !segments.includes('') ? segments : segments.filter((s) => s.length > 0);
  if (keys.length === 0 || keys[0] === '') return 'child path is empty';
  return Object.freeze(keys);
}

export class RuleSnapshot {
  private resolved: NodeView | null;

  /** A root snapshot (`up` null) or, with `key`, the child `key` of `up`, resolved on first use. */
  constructor(view: NodeView | null, private readonly up: RuleSnapshot | null, private readonly key = '') {
    this.resolved = view;
  }

  static root(view: NodeView): RuleSnapshot {
    return new RuleSnapshot(view, null);
  }

  /** The view, looked up on first use: walks create many `data` snapshots that no rule reads. */
  get view(): NodeView {
    if (this.resolved === null) this.resolved = (this.up as RuleSnapshot).view.child(this.key);
    return this.resolved;
  }

  /** The snapshot of one child key (no validation: keys come from paths already checked). */
  step(key: string): RuleSnapshot {
    return new RuleSnapshot(null, this, key);
  }

  /** `child(path)` with keys already split and checked (literal arguments, split at compile time). */
  childKeys(keys: readonly string[]): RuleSnapshot {
    let snapshot: RuleSnapshot = this;
    for (const key of keys) snapshot = snapshot.step(key);
    return snapshot;
  }

  child(relativePath: unknown): RuleSnapshot {
    if (typeof relativePath !== 'string') throw new RuleFailure('child path must be a string');
    const keys = splitChildPath(relativePath);
    if (typeof keys === 'string') throw new RuleFailure(keys);
    return this.childKeys(keys);
  }

  parent(): RuleSnapshot {
    if (this.up === null) throw new RuleFailure('parent() of the root');
    return this.up;
  }

  hasChild(relativePath: unknown): boolean {
    return this.child(relativePath).view.exists();
  }

  hasChildren(keys?: unknown): boolean {
    if (keys === undefined) return this.view.hasChildren();
    if (!Array.isArray(keys)) throw new RuleFailure('hasChildren() takes an array of strings');
    if (!this.view.hasChildren()) return false;
    for (const key of keys as unknown[]) {
      if (!this.hasChild(key)) return false;
    }
    return true;
  }

  exists(): boolean {
    return this.view.exists();
  }

  val(): unknown {
    if (!this.view.isLeaf()) return this.view.exists() ? OBJECT_SENTINEL : null;
    return this.view.val();
  }

  getPriority(): unknown {
    return this.view.priority();
  }

  isNumber(): boolean {
    return this.view.isLeaf() && typeof this.view.val() === 'number';
  }

  isString(): boolean {
    return this.view.isLeaf() && typeof this.view.val() === 'string';
  }

  isBoolean(): boolean {
    return this.view.isLeaf() && typeof this.view.val() === 'boolean';
  }
}
