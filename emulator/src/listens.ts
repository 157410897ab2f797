// What a listener must receive after a commit (docs/protocol.md §5): untagged listens get the written
// locations themselves (or their own location when an ancestor was written); query listens get
// their whole recomputed result whenever it changed, so children entering a limit window arrive.
import type { PathSegments } from './contracts.js';
import { runQuery, selectKeys } from './query/evaluate.js';
import { loadsAllData, type QuerySpec } from './query/spec.js';
import type { Commit, Database } from './tree/database.js';
import { contentFingerprint } from './tree/fingerprint.js';
import { isPrefix } from './tree/keys.js';
import type { Node } from './tree/node.js';

export interface Listen {
  readonly path: PathSegments;
  readonly spec: QuerySpec;
  /** Wire tag of a query listen; null for the default listen of a path. */
  readonly tag: number | null;
  /** Content fingerprint of the last result sent (query listens only). */
  lastHash: string;
  /** Keys of the last result sent (query listens only), to skip unchanged windows cheaply. */
  lastKeys?: readonly string[];
}

export type Push =
  | { readonly kind: 'put'; readonly path: PathSegments; readonly node: Node | null; readonly tag: number | null }
  | { readonly kind: 'merge'; readonly path: PathSegments; readonly children: ReadonlyMap<string, Node | null>; readonly tag: number | null };

function related(a: PathSegments, b: PathSegments): boolean {
  return isPrefix(a, b) || isPrefix(b, a);
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Whether a write could change a window with these keys: at/above the query path or inside a selected child. */
function touchesWindow(ops: Commit['write']['ops'], L: PathSegments, keys: readonly string[]): boolean {
  let selected: Set<string> | null = null;
  for (const op of ops) {
    if (op.path.length <= L.length) return true;
    selected ??= new Set(keys);
    if (selected.has(op.path[L.length]!)) return true;
  }
  return false;
}

/** The data a listen shows now: the node, or the query's result. */
export function listenData(db: Database, listen: Pick<Listen, 'path' | 'spec'>): Node | null {
  const node = db.read(listen.path);
  return loadsAllData(listen.spec) ? node : runQuery(node, listen.spec);
}

export function pushesFor(listen: Listen, commit: Commit, db: Database): Push[] {
  const { write } = commit;
  const L = listen.path;
  if (!write.ops.some((op) => related(op.path, L))) return [];
  if (listen.tag !== null) {
    const keys = selectKeys(db.read(L), listen.spec);
    if (listen.lastKeys !== undefined && sameKeys(keys, listen.lastKeys) && !touchesWindow(write.ops, L, keys)) return [];
    listen.lastKeys = keys;
    const result = listenData(db, listen);
    const hash = contentFingerprint(result);
    if (hash === listen.lastHash) return [];
    listen.lastHash = hash;
    return [{ kind: 'put', path: L, node: result, tag: listen.tag }];
  }
  if (write.mergeKeys !== null && isPrefix(L, write.basePath)) {
    const children = new Map<string, Node | null>();
    for (const op of write.ops) children.set(op.path.slice(write.basePath.length).join('/'), db.read(op.path));
    return [{ kind: 'merge', path: write.basePath, children, tag: null }];
  }
  const pushes: Push[] = [];
  for (const op of write.ops) {
    if (isPrefix(L, op.path)) pushes.push({ kind: 'put', path: op.path, node: db.read(op.path), tag: null });
    else if (isPrefix(op.path, L)) return [{ kind: 'put', path: L, node: db.read(L), tag: null }];
  }
  return pushes;
}

/** Drops untagged pushes already covered by another untagged push (nested listens on one connection). */
export function dedupePushes(pushes: Push[]): Push[] {
  if (pushes.length < 2) return pushes;
  const covers = (q: Push, j: number, p: Push, i: number): boolean => {
    if (!isPrefix(q.path, p.path)) return false;
    if (q.path.length < p.path.length) return q.kind === 'put';
    if (q.kind === p.kind) return j < i; // identical push from two listens: keep the first
    return q.kind === 'put';
  };
  return pushes.filter((p, i) => p.tag !== null || !pushes.some((q, j) => j !== i && q.tag === null && covers(q, j, p, i)));
}
