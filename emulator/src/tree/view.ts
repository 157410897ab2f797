// NodeView (contracts.ts) over a stored node with an optional overlay of pending sets.
// A pending write is checked by rules as (root, root + overlay) without copying the tree:
// child() and exists() walk only the overlaid paths; only val()/childKeys() of an overlaid
// location build that one level.
import type { NodeView, Priority } from '../contracts.js';
import { Branch, childOf, exportJson, plainJson, priorityOf, type Node } from './node.js';

/** A trie of pending sets: `set` replaces the node here, children overlay deeper locations. */
export class Overlay {
  set: { node: Node | null } | null = null;
  readonly children = new Map<string, Overlay>();

  /** Adds a set of `node` at `path`; later sets at the same or an ancestor path win. */
  add(path: readonly string[], node: Node | null): void {
    let cur: Overlay = this;
    for (const key of path) {
      let next = cur.children.get(key);
      if (next === undefined) {
        next = new Overlay();
        cur.children.set(key, next);
      }
      cur = next;
    }
    cur.set = { node };
    cur.children.clear();
  }
}

export class TreeView implements NodeView {
  private readonly base: Node | null;
  private readonly overlay: Overlay | null;

  constructor(base: Node | null, overlay: Overlay | null = null) {
    this.base = overlay?.set ? overlay.set.node : base;
    this.overlay = overlay !== null && overlay.children.size > 0 ? overlay : null;
  }

  /** The effective node; builds this level only when an overlay touches it. */
  node(): Node | null {
    if (this.overlay === null) return this.base;
    const base = this.base;
    const children = base instanceof Branch ? base.copyMap() : new Map<string, Node>();
    let anyOverlaidChild = false;
    for (const [key, sub] of this.overlay.children) {
      const child = new TreeView(childOf(base, key), sub).node();
      if (child === null) children.delete(key);
      else {
        children.set(key, child);
        anyOverlaidChild = true;
      }
    }
    // Writing null below a leaf leaves the leaf (core/snap/LeafNode.ts updateChild).
    if (base !== null && !(base instanceof Branch) && !anyOverlaidChild) return base;
    if (children.size === 0) return null;
    return new Branch(children, base instanceof Branch ? base.priority : null);
  }

  exists(): boolean {
    if (this.overlay === null) return this.base !== null;
    for (const [key, sub] of this.overlay.children) {
      if (new TreeView(childOf(this.base, key), sub).exists()) return true;
    }
    if (this.base instanceof Branch) {
      for (const key of this.base.keys()) if (!this.overlay.children.has(key)) return true;
      return false;
    }
    return this.base !== null;
  }

  val(): unknown {
    return plainJson(this.node());
  }

  exportVal(): unknown {
    return exportJson(this.node());
  }

  isLeaf(): boolean {
    if (this.overlay === null) return this.base !== null && !(this.base instanceof Branch);
    if (this.base instanceof Branch || this.base === null) return false;
    for (const [key, sub] of this.overlay.children) {
      if (new TreeView(childOf(this.base, key), sub).exists()) return false;
    }
    return true;
  }

  priority(): Priority {
    if (this.overlay === null) return priorityOf(this.base);
    if (this.base instanceof Branch) return this.exists() ? this.base.priority : null;
    return this.isLeaf() ? priorityOf(this.base) : null;
  }

  child(key: string): NodeView {
    return new TreeView(childOf(this.base, key), this.overlay?.children.get(key) ?? null);
  }

  childKeys(): string[] {
    const node = this.node();
    return node instanceof Branch ? [...node.sortedKeys()] : [];
  }

  hasChildren(): boolean {
    return this.exists() && !this.isLeaf();
  }
}
