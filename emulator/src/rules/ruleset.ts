// Evaluation of a compiled rules tree (spec §4.2–4.4; rules reference ".read", ".write",
// ".validate"). A read or write walks only the rules on the path and, for `.validate`, the
// nodes of the written subtrees, so its cost never depends on the size of the database.
import type { NodeView, PathSegments, ReadCheck, Ruleset, WriteCheck } from '../contracts.js';
import type { RuleNode } from './document.js';
import type { CompiledRule, EvalContext } from './expression.js';
import { RuleSnapshot } from './snapshot.js';

/** The rules node for `key` below `node`: the explicit child wins, else the wildcard (binding it). */
function step(node: RuleNode, key: string, vars: string[]): RuleNode | null {
  const named = node.children.get(key);
  if (named !== undefined) return named;
  if (node.wildcard === null) return null;
  vars.push(key);
  return node.wildcard.node;
}

export class CompiledRuleset implements Ruleset {
  constructor(
    readonly source: string,
    private readonly tree: RuleNode,
  ) {}

  canRead(check: ReadCheck): boolean {
    const vars: string[] = [];
    const root = new RuleSnapshot(check.root, [], check.root);
    let node: RuleNode | null = this.tree;
    let view = check.root;
    for (let depth = 0; node !== null; depth++) {
      if (node.read !== null) {
        const data = depth === 0 ? root : new RuleSnapshot(check.root, check.path.slice(0, depth), view);
        const ctx: EvalContext = { auth: check.auth, now: check.nowMs, root, data, newData: null, query: check.query ?? null, vars };
        // Cascade: a grant at any level of the path wins (rules reference, ".read").
        if (node.read(ctx)) return true;
      }
      const key = check.path[depth];
      if (key === undefined) return false;
      node = step(node, key, vars);
      view = view.child(key);
    }
    return false;
  }

  canWrite(check: WriteCheck): boolean {
    const root = new RuleSnapshot(check.root, [], check.root);
    for (const path of check.paths) {
      if (!this.writeGranted(check, root, path)) return false;
    }
    // Locations shared by several paths of one update are validated once.
    const seen = check.paths.length > 1 ? new Set<string>() : null;
    const walk = new ValidateWalk(check, root, seen);
    for (const path of check.paths) {
      if (!walk.path(this.tree, path)) return false;
    }
    return true;
  }

  indexOn(path: PathSegments): readonly string[] {
    let node: RuleNode | null = this.tree;
    const vars: string[] = [];
    for (const key of path) {
      node = step(node, key, vars);
      if (node === null) return [];
    }
    return node.indexOn;
  }

  private writeGranted(check: WriteCheck, root: RuleSnapshot, path: PathSegments): boolean {
    const vars: string[] = [];
    let node: RuleNode | null = this.tree;
    let oldView = check.root;
    let newView = check.newRoot;
    for (let depth = 0; node !== null; depth++) {
      if (node.write !== null) {
        const at = path.slice(0, depth);
        const ctx: EvalContext = {
          auth: check.auth,
          now: check.nowMs,
          root,
          data: new RuleSnapshot(check.root, at, oldView),
          newData: new RuleSnapshot(check.newRoot, at, newView),
          query: null,
          vars,
        };
        // Cascade: rules below the written path are not consulted (spec §4.4 step 2).
        if (node.write(ctx)) return true;
      }
      const key = path[depth];
      if (key === undefined) return false;
      node = step(node, key, vars);
      oldView = oldView.child(key);
      newView = newView.child(key);
    }
    return false;
  }
}

/** `.validate` on the chain above each written path and on every node of its new subtree. */
class ValidateWalk {
  constructor(
    private readonly check: WriteCheck,
    private readonly root: RuleSnapshot,
    private readonly seen: Set<string> | null,
  ) {}

  path(tree: RuleNode, path: PathSegments): boolean {
    const vars: string[] = [];
    let node: RuleNode | null = tree;
    let oldView = this.check.root;
    let newView = this.check.newRoot;
    for (let depth = 0; depth < path.length; depth++) {
      if (node.validate !== null && !this.validateAt(node.validate, path.slice(0, depth), oldView, newView, vars)) return false;
      const key = path[depth] as string;
      node = step(node, key, vars);
      if (node === null) return true;
      oldView = oldView.child(key);
      newView = newView.child(key);
    }
    return this.subtree(node, [...path], oldView, newView, vars);
  }

  private subtree(node: RuleNode, path: string[], oldView: NodeView, newView: NodeView, vars: string[]): boolean {
    if (!newView.exists()) return true;
    if (node.validate !== null && !this.validateAt(node.validate, path, oldView, newView, vars)) return false;
    for (const [key, child] of node.children) {
      if (!this.subtree(child, [...path, key], oldView.child(key), newView.child(key), vars)) return false;
    }
    const wildcard = node.wildcard;
    if (wildcard === null) return true;
    for (const key of newView.childKeys()) {
      if (node.children.has(key)) continue;
      vars.push(key);
      const ok = this.subtree(wildcard.node, [...path, key], oldView.child(key), newView.child(key), vars);
      vars.pop();
      if (!ok) return false;
    }
    return true;
  }

  private validateAt(rule: CompiledRule, path: PathSegments, oldView: NodeView, newView: NodeView, vars: readonly string[]): boolean {
    // `.validate` is skipped where the new data is null: deletes are never blocked by it.
    if (!newView.exists()) return true;
    if (this.seen !== null) {
      const key = path.join('/');
      if (this.seen.has(key)) return true;
      this.seen.add(key);
    }
    const { check, root } = this;
    return rule({
      auth: check.auth,
      now: check.nowMs,
      root,
      data: new RuleSnapshot(check.root, path, oldView),
      newData: new RuleSnapshot(check.newRoot, path, newView),
      query: null,
      vars,
    });
  }
}
