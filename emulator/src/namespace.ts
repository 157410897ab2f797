// One database instance: its data, its rules, who listens, and the write pipeline
// (parse → rules on (root, newRoot) → hash check → commit → commit hooks → pushes).
import { authOf } from './auth.js';
import type { CommittedWrite, Identity, NodeView, PathSegments, Ruleset, RulesQuery } from './contracts.js';
import { HASH_MISMATCH, permissionDenied, RtdbError } from './errors.js';
import { nodeHash } from './tree/hash.js';
import { ListenIndex } from './listen-index.js';
import { ReadWatch, type ReadGrant } from './read-watch.js';
import { Database, type Commit, type PendingWrite } from './tree/database.js';

export const DEFAULT_RULES_SOURCE = '{\n  "rules": {\n    ".read": true,\n    ".write": true\n  }\n}\n';

/** Anyone holding listens: socket sessions and SSE streams. */
export interface Subscriber {
  /** Called synchronously after each commit, before the writer's ack. */
  onCommit(commit: Commit): void;
}

export interface WriteOptions {
  /** Transaction compare-and-set hash (socket `p` with `h`). */
  readonly hash?: string | undefined;
  readonly disableTriggers?: boolean;
  /** onDisconnect execution: rules were checked at registration. */
  readonly skipRules?: boolean;
}

export class Namespace {
  readonly db = new Database();
  readonly subscribers = new Set<Subscriber>();
  /** Where subscribers listen; subscribers keep it in step with their listens. */
  readonly listenIndex = new ListenIndex<Subscriber>();
  private ruleset: Ruleset | null = null;
  private source = DEFAULT_RULES_SOURCE;
  /** Read permissions of open listens, re-checked when rules or the data they read change. */
  private readonly reads: ReadWatch;

  constructor(
    readonly name: string,
    private readonly commitHook: (write: CommittedWrite) => void,
    private readonly onSubscriberError: (error: Error) => void = () => {},
  ) {
    this.reads = new ReadWatch((identity, path, query, root) => this.canRead(identity, path, query, root), () => this.db.view(), onSubscriberError);
  }

  get rulesSource(): string {
    return this.source;
  }

  /** Installs compiled rules (null: the default, allow all) and re-checks listens. */
  setRules(source: string, ruleset: Ruleset | null): void {
    this.source = source;
    this.ruleset = ruleset;
    this.reads.rulesChanged(ruleset);
  }

  indexOn(path: PathSegments): readonly string[] {
    return this.ruleset?.indexOn(path) ?? [];
  }

  canRead(identity: Identity, path: PathSegments, query?: RulesQuery, root: NodeView = this.db.view()): boolean {
    if (identity.kind === 'admin' || this.ruleset === null) return true;
    const check = { path, auth: authOf(identity), root, nowMs: Date.now() };
    try {
      return this.ruleset.canRead(query ? { ...check, query } : check);
    } catch {
      return false;
    }
  }

  /**
   * Checks a listen's read and keeps it under watch: `onRevoke` runs (once, grant released) when
   * rules, or data the read rules look at, stop allowing it. Null when the read is denied now.
   */
  watchRead(identity: Identity, path: PathSegments, query: RulesQuery | undefined, onRevoke: () => void): ReadGrant | null {
    return this.reads.grant(identity, path, query, onRevoke);
  }

  /** The listen ended (unlisten, close, auth change): stop re-checking it. */
  releaseRead(grant: ReadGrant): void {
    this.reads.release(grant);
  }

  /** Checks rules for a prepared write without committing (onDisconnect registration). */
  checkWrite(identity: Identity, write: PendingWrite): void {
    if (identity.kind === 'admin' || this.ruleset === null) return;
    let allowed: boolean;
    try {
      allowed = this.ruleset.canWrite({
        paths: write.ops.map((op) => op.path),
        auth: authOf(identity),
        root: this.db.view(),
        newRoot: this.db.pendingView(write),
        nowMs: write.nowMs,
      });
    } catch {
      allowed = false;
    }
    if (!allowed) throw permissionDenied();
  }

  /** Checks and commits a write; pushes to every subscriber before returning. */
  write(identity: Identity, write: PendingWrite, options: WriteOptions = {}): Commit {
    if (options.skipRules !== true) this.checkWrite(identity, write);
    if (options.hash !== undefined && nodeHash(this.db.read(write.basePath)) !== options.hash) {
      throw new RtdbError('datastale', HASH_MISMATCH);
    }
    const commit = this.db.commit(write);
    this.commitHook({
      namespace: this.name,
      paths: write.ops.map((op) => op.path),
      before: commit.before,
      after: commit.after,
      identity,
      disableTriggers: options.disableTriggers === true,
      timestampMs: write.nowMs,
    });
    // Data-dependent read rules: revoke listens the new data no longer allows, before pushing;
    // only listens whose read rules looked at a written location are re-checked (read-watch.ts).
    const paths = write.ops.map((op) => op.path);
    if (this.ruleset !== null) this.reads.committed(paths);
    // One failing subscriber must not fail the write or starve the others.
    const affected = this.listenIndex.affected(paths);
    for (const s of affected) this.guard(() => s.onCommit(commit));
    return commit;
  }

  private guard(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.onSubscriberError(e as Error);
    }
  }
}
