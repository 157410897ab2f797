// One namespace's data: the committed tree, pending writes as overlays, and commits that
// mutate only the touched paths. The tree is mutated in place so a write costs O(depth +
// children of the touched branches' sorted caches), never O(database size).
import type { NodeView, PathSegments } from '../contracts.js';
import { RtdbError } from '../errors.js';
import { pathProblem, pathToString, splitPath } from './keys.js';
import { Branch, leafValue, nodeAt, withPriority, type Node } from './node.js';
import { MAX_CHILDREN, parseNode, type ParseContext } from './parse.js';
import { Overlay, TreeView } from './view.js';

/** One location set by a write; `node` is already parsed (server values resolved). */
export interface SetOp {
  readonly path: PathSegments;
  readonly node: Node | null;
}

export interface PendingWrite {
  /** The path the client addressed (the update's base path for merges). */
  readonly basePath: PathSegments;
  /** For merges: the relative keys as sent, in order; null for a set. */
  readonly mergeKeys: readonly PathSegments[] | null;
  readonly ops: readonly SetOp[];
  readonly nowMs: number;
}

export interface Commit {
  readonly write: PendingWrite;
  readonly before: NodeView;
  readonly after: NodeView;
}

export class Database {
  private root: Node | null = null;

  /** `maxChildren`: children one location may hold (a Map's limit; smaller in tests). */
  constructor(private readonly maxChildren = MAX_CHILDREN) {}

  read(path: PathSegments): Node | null {
    return nodeAt(this.root, path);
  }

  view(): TreeView {
    return new TreeView(this.root);
  }

  /** The state a pending write would produce, as a view (no copy). */
  pendingView(write: PendingWrite): TreeView {
    const overlay = new Overlay();
    for (const op of write.ops) overlay.add(op.path, op.node);
    return new TreeView(this.root, overlay);
  }

  /** Parses a set of `json` at `path` (which may end in `.priority`). */
  prepareSet(path: PathSegments, json: unknown, ctx: ParseContext): PendingWrite {
    const problem = pathProblem(path, true);
    if (problem !== null) throw new RtdbError('invalid_path', problem);
    return { basePath: path, mergeKeys: null, ops: [this.parseOp(path, json, ctx)], nowMs: ctx.nowMs };
  }

  /** Parses a multi-location update: keys are relative paths (may contain `/`). */
  prepareUpdate(path: PathSegments, changes: unknown, ctx: ParseContext): PendingWrite {
    if (typeof changes !== 'object' || changes === null || Array.isArray(changes)) {
      throw new RtdbError('invalid_data', `Invalid update at ${pathToString(path)}: expected an object of relative paths to values`);
    }
    const rels: PathSegments[] = [];
    const ops: SetOp[] = [];
    // Overlap check in O(keys × depth): a large PATCH (an import of 5,000 readings) stays linear.
    const targets = new Set<string>();
    const ancestors = new Set<string>();
    for (const [rel, value] of Object.entries(changes)) {
      const relPath = splitPath(rel);
      const full = [...path, ...relPath];
      const problem = relPath.length === 0 ? `empty key in update at ${pathToString(path)}` : pathProblem(full, true);
      if (problem !== null) throw new RtdbError('invalid_path', problem);
      const key = relPath.join('/');
      let overlap: string | null = null;
      if (targets.has(key)) overlap = `"${key}" appears twice`;
      else if (ancestors.has(key)) overlap = `"${key}" is an ancestor of another key`;
      for (let i = 1; i < relPath.length && overlap === null; i++) {
        const prefix = relPath.slice(0, i).join('/');
        if (targets.has(prefix)) overlap = `"${prefix}" and "${key}" overlap`;
      }
      if (overlap !== null) {
        throw new RtdbError('invalid_data', `Invalid update at ${pathToString(path)}: ${overlap}; an update may not set a path and its ancestor`);
      }
      targets.add(key);
      for (let i = 1; i < relPath.length; i++) ancestors.add(relPath.slice(0, i).join('/'));
      rels.push(relPath);
      ops.push(this.parseOp(full, value, ctx));
    }
    return { basePath: path, mergeKeys: rels, ops, nowMs: ctx.nowMs };
  }

  private parseOp(path: PathSegments, json: unknown, ctx: ParseContext): SetOp {
    if (path[path.length - 1] !== '.priority') return { path, node: parseNode(json, this.read(path), path, ctx) };
    // `.priority` writes re-prioritise the parent; no-op on an absent node (ChildrenNode.updatePriority).
    const parent = path.slice(0, -1);
    const parsed = parseNode(json, null, path, ctx);
    const priority = parsed === null ? null : leafValue(parsed);
    if (parsed instanceof Branch || typeof priority === 'boolean') {
      throw new RtdbError('invalid_data', `Invalid priority at ${pathToString(path)}: must be a string, a number or null`);
    }
    return { path: parent, node: withPriority(this.read(parent), priority) };
  }

  /** Applies a prepared write; the returned views are valid until the next commit. */
  commit(write: PendingWrite): Commit {
    this.checkRoom(write);
    const undo: SetOp[] = [];
    for (const op of write.ops) undo.push(this.apply(op));
    const overlay = new Overlay();
    for (let i = undo.length - 1; i >= 0; i--) overlay.add(undo[i]!.path, undo[i]!.node);
    return { write, before: new TreeView(this.root, overlay), after: new TreeView(this.root) };
  }

  /**
   * Refuses, before anything changes, a write that would add a child to a full location: the
   * Map behind it would throw half-way through the write.
   */
  private checkRoom(write: PendingWrite): void {
    for (const { path, node } of write.ops) {
      if (node === null || path.length === 0) continue;
      const parent = nodeAt(this.root, path.slice(0, -1));
      const key = path[path.length - 1]!;
      if (parent instanceof Branch && parent.size >= this.maxChildren && !parent.has(key)) {
        throw new RtdbError('invalid_data', `Invalid data at ${pathToString(path)}: ${pathToString(path.slice(0, -1))} already holds ${parent.size} children, the most one location can hold here`);
      }
    }
  }

  /** Sets one location; returns the topmost location it replaced and what was there. */
  private apply(op: SetOp): SetOp {
    const { path, node } = op;
    if (path.length === 0) {
      const old = this.root;
      this.root = node;
      return { path, node: old };
    }
    if (node === null) return this.remove(path);
    let replaced: SetOp | null = null;
    if (!(this.root instanceof Branch)) {
      if (this.root !== null) replaced = { path: [], node: this.root };
      this.root = new Branch(new Map());
    }
    let cur: Branch = this.root;
    for (let i = 0; i < path.length - 1; i++) {
      const key = path[i]!;
      let next = cur.get(key);
      if (!(next instanceof Branch)) {
        // Writing below a leaf replaces the leaf with an object.
        if (next !== undefined && replaced === null) replaced = { path: path.slice(0, i + 1), node: next };
        next = new Branch(new Map());
        cur.setChild(key, next);
      }
      cur = next;
    }
    const last = path[path.length - 1]!;
    const old = cur.get(last) ?? null;
    cur.setChild(last, node);
    return replaced ?? { path, node: old };
  }

  private remove(path: PathSegments): SetOp {
    const chain: Branch[] = [];
    let cur: Node | null = this.root;
    for (let i = 0; i < path.length - 1; i++) {
      if (!(cur instanceof Branch)) return { path, node: null };
      chain.push(cur);
      cur = cur.get(path[i]!) ?? null;
    }
    if (!(cur instanceof Branch)) return { path, node: null };
    chain.push(cur);
    const last = path[path.length - 1]!;
    const old = cur.get(last) ?? null;
    if (old === null) return { path, node: null };
    cur.deleteChild(last);
    // Deleting the last child deletes the parent (empty nodes do not exist).
    for (let i = chain.length - 1; i >= 1 && chain[i]!.size === 0; i--) {
      chain[i - 1]!.deleteChild(path[i - 1]!);
    }
    if (this.root instanceof Branch && this.root.size === 0) this.root = null;
    return { path, node: old };
  }
}
