// Evaluation of a compiled rules tree (spec §4.2–4.4; rules reference ".read", ".write",
// ".validate"). A read or write walks only the rules on the path and, for `.validate`, the
// nodes of the written subtrees, so its cost never depends on the size of the database.
import type { PathSegments, ReadCheck, Ruleset, WriteCheck } from '../contracts.js';
import type { RuleNode } from './document.js';
import type { CompiledRule, EvalContext } from './expression.js';
import { plainReadQuery } from './query.js';
import { RuleSnapshot } from './snapshot.js';

const PLAIN_READ = Object.freeze(plainReadQuery());

/** The rules node for `key` below `node`: the explicit child wins, else the wildcard (binding it). */
function step(node: RuleNode, key: string, vars: string[]): RuleNode | null {
  const named = node.children.get(key);
  if (named !== undefined) return named;
  if (node.wildcard === null) return null;
  vars.push(key);
  return node.wildcard.node;
}

/** Whether any `.read` rule of the tree reads `now`. */
function readUsesNow(node: RuleNode): boolean {
  if (node.read?.usesNow === true) return true;
  for (const child of node.children.values()) if (readUsesNow(child)) return true;
  return node.wildcard !== null && readUsesNow(node.wildcard.node);
}

export class CompiledRuleset implements Ruleset {
  readonly readDependsOnTime: boolean;

  constructor(
    readonly source: string,
    private readonly tree: RuleNode,
  ) {
    this.readDependsOnTime = readUsesNow(tree);
  }

  canRead(check: ReadCheck): boolean {
    const vars: string[] = [];
    const root = RuleSnapshot.root(check.root);
    let data = root;
    let node: RuleNode | null = this.tree;
    // One context per check, updated per level: evaluation is synchronous.
    const ctx: EvalContext = { auth: check.auth, now: check.nowMs, root, data, newData: null, query: check.query ?? PLAIN_READ, vars };
    for (let depth = 0; node !== null; depth++) {
      if (node.read !== null) {
        ctx.data = data;
        // Cascade: a grant at any level of the path wins (rules reference, ".read").
        if (node.read(ctx)) return true;
      }
      const key = check.path[depth];
      if (key === undefined) return false;
      node = step(node, key, vars);
      data = data.step(key);
    }
    return false;
  }

  canWrite(check: WriteCheck): boolean {
    const root = RuleSnapshot.root(check.root);
    const newRoot = RuleSnapshot.root(check.newRoot);
    for (const path of check.paths) {
      if (!this.writeGranted(check, root, newRoot, path)) return false;
    }
    // Locations shared by several paths of one update are validated once.
    const walk = new ValidateWalk(check, root, check.paths.length > 1 ? new Set<string>() : null);
    for (const path of check.paths) {
      if (!walk.path(this.tree, newRoot, path)) return false;
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

  private writeGranted(check: WriteCheck, root: RuleSnapshot, newRoot: RuleSnapshot, path: PathSegments): boolean {
    const vars: string[] = [];
    let node: RuleNode | null = this.tree;
    let data = root;
    let newData = newRoot;
    const ctx: EvalContext = { auth: check.auth, now: check.nowMs, root, data, newData, query: null, vars };
    for (let depth = 0; node !== null; depth++) {
      if (node.write !== null) {
        ctx.data = data;
        ctx.newData = newData;
        // Cascade: rules below the written path are not consulted (spec §4.4 step 2).
        if (node.write(ctx)) return true;
      }
      const key = path[depth];
      if (key === undefined) return false;
      node = step(node, key, vars);
      data = data.step(key);
      newData = newData.step(key);
    }
    return false;
  }
}

function childKey(pathKey: string | null, key: string): string | null {
  if (pathKey === null) return null;
  return pathKey === '' ? key : `${pathKey}/${key}`;
}

/** `.validate` on the chain above each written path and on every node of its new subtree. */
class ValidateWalk {
  private readonly ctx: EvalContext;

  constructor(
    check: WriteCheck,
    private readonly root: RuleSnapshot,
    /** Validated locations as `a/b/c`; null when there is a single path (nothing to share). */
    private readonly seen: Set<string> | null,
  ) {
    this.ctx = { auth: check.auth, now: check.nowMs, root, data: root, newData: null, query: null, vars: [] };
  }

  path(tree: RuleNode, newRoot: RuleSnapshot, path: PathSegments): boolean {
    const vars: string[] = [];
    this.ctx.vars = vars;
    let node: RuleNode | null = tree;
    let data = this.root;
    let newData = newRoot;
    for (let depth = 0; depth < path.length; depth++) {
      if (node.validate !== null && !this.validateAt(node.validate, this.seen === null ? null : path.slice(0, depth).join('/'), data, newData, vars)) return false;
      const key = path[depth] as string;
      node = step(node, key, vars);
      if (node === null) return true;
      data = data.step(key);
      newData = newData.step(key);
    }
    return this.subtree(node, this.seen === null ? null : path.join('/'), data, newData, vars);
  }

  private subtree(node: RuleNode, pathKey: string | null, data: RuleSnapshot, newData: RuleSnapshot, vars: string[]): boolean {
    if (!newData.view.exists()) return true;
    if (node.validate !== null && !this.validateAt(node.validate, pathKey, data, newData, vars)) return false;
    for (const [key, child] of node.children) {
      const newChild = newData.step(key);
      if (!newChild.view.exists()) continue;
      if (!this.subtree(child, childKey(pathKey, key), data.step(key), newChild, vars)) return false;
    }
    const wildcard = node.wildcard;
    if (wildcard === null) return true;
    for (const key of newData.view.childKeys()) {
      if (node.children.has(key)) continue;
      vars.push(key);
      const ok = this.subtree(wildcard.node, childKey(pathKey, key), data.step(key), newData.step(key), vars);
      vars.pop();
      if (!ok) return false;
    }
    return true;
  }

  private validateAt(rule: CompiledRule, pathKey: string | null, data: RuleSnapshot, newData: RuleSnapshot, vars: readonly string[]): boolean {
    // `.validate` is skipped where the new data is null: deletes are never blocked by it.
    if (!newData.view.exists()) return true;
    if (this.seen !== null && pathKey !== null) {
      if (this.seen.has(pathKey)) return true;
      this.seen.add(pathKey);
    }
    const ctx = this.ctx;
    ctx.data = data;
    ctx.newData = newData;
    ctx.vars = vars;
    return rule(ctx);
  }
}
