// RuleDataSnapshot of the rules language (Firebase rules reference, "RuleDataSnapshot"), over a
// NodeView. It keeps its root and path so that `parent()` works without parent pointers.
import type { NodeView, PathSegments } from '../contracts.js';

/** Thrown for a runtime error inside an expression; the rule then evaluates to false (spec §4.5). */
export class RuleFailure extends Error {
  override readonly name = 'RuleFailure';
}

/**
 * What `val()` returns for a node with children: RTDB returns an opaque sentinel instead of an
 * object so that rules stay cheap (rules reference, "val()"); it equals nothing and has no members.
 */
export const OBJECT_SENTINEL: unique symbol = Symbol('rules.objectValue');

export class RuleSnapshot {
  constructor(
    private readonly rootView: NodeView,
    readonly path: PathSegments,
    readonly view: NodeView,
  ) {}

  static atPath(rootView: NodeView, path: PathSegments): RuleSnapshot {
    let view = rootView;
    for (const key of path) view = view.child(key);
    return new RuleSnapshot(rootView, path, view);
  }

  child(relativePath: unknown): RuleSnapshot {
    const segments = splitChildPath(relativePath);
    let view = this.view;
    for (const key of segments) view = view.child(key);
    return new RuleSnapshot(this.rootView, [...this.path, ...segments], view);
  }

  parent(): RuleSnapshot {
    if (this.path.length === 0) throw new RuleFailure('parent() of the root');
    return RuleSnapshot.atPath(this.rootView, this.path.slice(0, -1));
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
    if (!this.view.exists()) return null;
    return this.view.isLeaf() ? this.view.val() : OBJECT_SENTINEL;
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

function splitChildPath(relativePath: unknown): string[] {
  if (typeof relativePath !== 'string') throw new RuleFailure('child path must be a string');
  const segments = relativePath.split('/').filter((s) => s.length > 0);
  if (segments.length === 0) throw new RuleFailure('child path is empty');
  for (const key of segments) {
    // Keys can never contain these characters (SDK core/util/validation.ts INVALID_KEY_REGEX_).
    if (/[.#$[\]\u0000-\u001f\u007f]/.test(key)) throw new RuleFailure(`invalid key in child path: ${key}`);
  }
  return segments;
}
