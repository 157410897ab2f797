// Standing read permissions of open listens (socket listens, SSE streams), re-checked only when
// their decision could have changed. A read rule is a pure function of the rules, `auth`, the
// query, `now` and the data it looks at; each check runs over a view that records which
// locations the rules looked at, and a commit re-checks only the listens whose recorded
// locations are at, above or below a written path. Rules and auth changes re-check everything
// they affect; read rules that use `now` are re-checked after every commit, as before.
import type { Identity, NodeView, PathSegments, Priority, RulesQuery, Ruleset } from './contracts.js';
import { ListenIndex } from './listen-index.js';

/** Beyond this many re-checks for one commit, they run once per event-loop turn instead. */
export const SYNC_RECHECK_MAX = 64;

/** Evaluates a read over the given root view (the namespace's `canRead` with a view swapped in). */
export type ReadEvaluator = (identity: Identity, path: PathSegments, query: RulesQuery | undefined, root: NodeView) => boolean;

/** Records every location whose data a rules evaluation looked at. */
class RecordingView implements NodeView {
  constructor(
    private readonly inner: NodeView,
    private readonly up: RecordingView | null,
    private readonly key: string,
    private readonly reads: PathSegments[],
  ) {}

  private record(): void {
    const path: string[] = [];
    for (let v: RecordingView | null = this; v !== null && v.up !== null; v = v.up) path.push(v.key);
    this.reads.push(path.reverse());
  }

  exists(): boolean {
    this.record();
    return this.inner.exists();
  }
  val(): unknown {
    this.record();
    return this.inner.val();
  }
  exportVal(): unknown {
    this.record();
    return this.inner.exportVal();
  }
  isLeaf(): boolean {
    this.record();
    return this.inner.isLeaf();
  }
  priority(): Priority {
    this.record();
    return this.inner.priority();
  }
  childKeys(): string[] {
    this.record();
    return this.inner.childKeys();
  }
  hasChildren(): boolean {
    this.record();
    return this.inner.hasChildren();
  }
  child(key: string): NodeView {
    // Stepping down reads nothing; only the methods above look at data.
    return new RecordingView(this.inner.child(key), this, key, this.reads);
  }
}

/** One listen's permission to keep reading. */
export class ReadGrant {
  /** Locations the last check looked at (deduplicated), as indexed. */
  reads: PathSegments[] = [];
  released = false;

  constructor(
    readonly identity: Identity,
    readonly path: PathSegments,
    readonly query: RulesQuery | undefined,
    /** Called once when the listen loses read access; the grant is already released. */
    readonly onRevoke: () => void,
  ) {}
}

function dedupe(paths: PathSegments[]): PathSegments[] {
  if (paths.length < 2) return paths;
  const seen = new Set<string>();
  return paths.filter((p) => {
    const key = p.join('/');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export class ReadWatch {
  private readonly grants = new Set<ReadGrant>();
  /** Grants by the locations their last check read. */
  private readonly index = new ListenIndex<ReadGrant>();
  /** Read rules use `now`: every grant is re-checked after every commit. */
  private timeDependent = false;
  private readonly pending = new Set<ReadGrant>();
  private flushScheduled = false;

  constructor(
    private readonly evaluate: ReadEvaluator,
    private readonly currentRoot: () => NodeView,
    private readonly onError: (error: Error) => void,
  ) {}

  get size(): number {
    return this.grants.size;
  }

  /** Checks a read and, when allowed, keeps watching it; null when denied. */
  grant(identity: Identity, path: PathSegments, query: RulesQuery | undefined, onRevoke: () => void): ReadGrant | null {
    const grant = new ReadGrant(identity, path, query, onRevoke);
    if (!this.check(grant)) return null;
    this.grants.add(grant);
    return grant;
  }

  release(grant: ReadGrant): void {
    if (grant.released) return;
    grant.released = true;
    this.grants.delete(grant);
    this.pending.delete(grant);
    for (const p of grant.reads) this.index.remove(grant, p);
    grant.reads = [];
  }

  /** New rules: re-check every grant now. */
  rulesChanged(ruleset: Ruleset | null): void {
    this.timeDependent = ruleset !== null && ruleset.readDependsOnTime;
    this.recheck([...this.grants]);
  }

  /** After a commit, before its pushes: re-check the grants whose decision may have changed. */
  committed(paths: readonly PathSegments[]): void {
    if (this.grants.size === 0) return;
    const affected = this.timeDependent ? [...this.grants] : [...this.index.affected(paths)];
    if (affected.length === 0) return;
    // Synchronously the revocation reaches the client before the data that caused it; a commit
    // affecting very many grants (rules reading a hot location) is batched per turn instead.
    if (affected.length <= SYNC_RECHECK_MAX) return this.recheck(affected);
    for (const g of affected) this.pending.add(g);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      const batch = [...this.pending];
      this.pending.clear();
      this.recheck(batch);
    });
  }

  private recheck(grants: readonly ReadGrant[]): void {
    for (const g of grants) {
      if (g.released) continue;
      let allowed = false;
      try {
        allowed = this.check(g);
      } catch (e) {
        this.onError(e as Error);
      }
      if (allowed) continue;
      this.release(g);
      try {
        g.onRevoke();
      } catch (e) {
        this.onError(e as Error);
      }
    }
  }

  /** Evaluates the grant's read over a recording view and re-indexes what it looked at. */
  private check(grant: ReadGrant): boolean {
    const reads: PathSegments[] = [];
    const root = new RecordingView(this.currentRoot(), null, '', reads);
    const allowed = this.evaluate(grant.identity, grant.path, grant.query, root);
    for (const p of grant.reads) this.index.remove(grant, p);
    grant.reads = allowed ? dedupe(reads) : [];
    if (!grant.released) for (const p of grant.reads) this.index.add(grant, p);
    return allowed;
  }
}
