// Interfaces between the emulator's parts: the database core, the rules engine and the
// functions host. Each part is built and tested on its own against these types, so keep
// them small and change them only together with every implementation.

/** A path as segments, root = []. Keys are already validated. */
export type PathSegments = readonly string[];

export type Priority = string | number | null;

/**
 * Read-only view of one location of a database state (a committed root, or a root with a
 * pending write laid over it). Views are cheap to create; `child` never copies data.
 * A view is only valid while the state it was taken from is unchanged (synchronously).
 */
export interface NodeView {
  exists(): boolean;
  /** Leaf value (string | number | boolean); null when absent; for an object, its plain JSON (no priorities). */
  val(): unknown;
  /** Export-format JSON (with `.priority` / `.value`), null when absent. */
  exportVal(): unknown;
  isLeaf(): boolean;
  priority(): Priority;
  child(key: string): NodeView;
  /** Child keys in key order (integer-like keys first); empty for leaves and absent nodes. */
  childKeys(): string[];
  hasChildren(): boolean;
}

/** Who is acting: drives rules and the CloudEvent auth fields. */
export type Identity =
  | { kind: 'admin' }
  | { kind: 'user'; auth: AuthVariable }
  | { kind: 'unauthenticated' };

/** The `auth` variable of the rules language: `{uid, provider, token}` or an admin `authvar` verbatim. */
export type AuthVariable = { uid?: string | null; provider?: string; token?: Record<string, unknown> } & Record<string, unknown>;

/** The `query` variable of read rules (Firebase rules reference, "query"). */
export interface RulesQuery {
  orderByKey: boolean;
  orderByPriority: boolean;
  orderByValue: boolean;
  orderByChild: string | null;
  startAt: unknown;
  endAt: unknown;
  equalTo: unknown;
  limitToFirst: number | null;
  limitToLast: number | null;
}

export interface ReadCheck {
  path: PathSegments;
  auth: AuthVariable | null;
  root: NodeView;
  nowMs: number;
  query?: RulesQuery;
}

export interface WriteCheck {
  /** Every location set by the operation (one for a set, one per key for an update). */
  paths: readonly PathSegments[];
  auth: AuthVariable | null;
  /** State before the write. */
  root: NodeView;
  /** State after the whole write (all paths applied, server values resolved). */
  newRoot: NodeView;
  nowMs: number;
}

/** A compiled rules document for one namespace. Admin identities never reach it. */
export interface Ruleset {
  /** The source text exactly as uploaded (comments kept). */
  readonly source: string;
  canRead(check: ReadCheck): boolean;
  canWrite(check: WriteCheck): boolean;
  /** Some `.read` rule reads `now`: a read decision can change with time alone. */
  readonly readDependsOnTime: boolean;
  /** `.indexOn` declared at a path (for warnings only). */
  indexOn(path: PathSegments): readonly string[];
}

/**
 * A committed write, delivered synchronously right after commit. `before` and `after` are
 * views of the whole namespace and are valid only during the callback: copy what you need.
 */
export interface CommittedWrite {
  namespace: string;
  paths: readonly PathSegments[];
  before: NodeView;
  after: NodeView;
  identity: Identity;
  /** Emulator-only import flag: functions must not fire. */
  disableTriggers: boolean;
  /** Server time used for the write's server values. */
  timestampMs: number;
}

/** What the functions host needs from the database. */
export interface CommitSource {
  onCommit(listener: (write: CommittedWrite) => void): () => void;
}
