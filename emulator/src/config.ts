// The emulator's options: validated once at start, defaults in one literal, frozen afterwards.
import type { LogSink } from './logs.js';
import { StartupError } from './startup-error.js';

export interface EmulatorOptions {
  /** TCP port; 0 picks a free one. Default 9000 (firebase-tools' database port). */
  port?: number;
  /** Bind address. Default 127.0.0.1. */
  host?: string;
  /** Rules file applied to every namespace; watched and reloaded on change. */
  rules?: string;
  /** Functions package directory for the functions host. */
  functions?: string;
  /** Project id (`demo-*` keeps SDKs off real Google hosts). Default demo-firelink. */
  projectId?: string;
  /** Namespace that --import/--export use. Default `<projectId>-default-rtdb`. */
  namespace?: string;
  /** JSON file (export format) loaded into `namespace` at start. */
  import?: string;
  /** JSON file the `namespace` is written to (export format) on stop. */
  export?: string;
  /** Refuse expired tokens (`exp`), and tokens older than tokenMaxAgeSeconds. */
  strictTokens?: boolean;
  tokenMaxAgeSeconds?: number;
  /** host:port of the Auth emulator, passed to functions. */
  authEmulatorHost?: string;
  /** Where log lines go. Default stderr; pass `() => {}` to silence. */
  log?: LogSink;
  /** Seconds between SSE keep-alive events. Default 30. */
  sseKeepAliveSeconds?: number;
  /**
   * Durable mode: a directory holding a snapshot and a journal. Every write is journaled before
   * it is acknowledged; start-up restores the data and the functions host's pending events.
   */
  dataDir?: string;
  /** Journal size (bytes) that starts a background compaction into a new snapshot. Default 64 MiB. */
  journalCompactBytes?: number;
  /**
   * Durable mode: acknowledge a write only after fdatasync, so it also survives power loss or an
   * OS crash. Default false: acknowledged once written to the journal file (survives a crash or
   * kill -9 of the emulator), with fdatasync in the background every second.
   */
  journalFsync?: boolean;
  /**
   * Slow consumers: a WebSocket, SSE or long-poll client whose unsent data passes this many bytes
   * is disconnected (and logged), as production drops a client that cannot keep up. Default 16 MiB.
   */
  maxClientBufferBytes?: number;
  /** Functions host: run schedules on their timers (default true; `runSchedule` works either way). */
  runSchedulesOnTimer?: boolean;
  /** Functions host: longest function-to-function trigger chain before it is stopped (default 64). */
  maxCascadeDepth?: number;
  /**
   * Functions host: log every successful invocation (default true). Failures, timeouts and the
   * functions' own output are logged either way; off, a busy system skips a line per event.
   */
  logInvocations?: boolean;
}

export interface EmulatorConfig {
  readonly port: number;
  readonly host: string;
  readonly rules: string | null;
  readonly functions: string | null;
  readonly projectId: string;
  readonly namespace: string;
  readonly importFile: string | null;
  readonly exportFile: string | null;
  readonly strictTokens: boolean;
  readonly tokenMaxAgeSeconds: number | null;
  readonly authEmulatorHost: string | null;
  readonly sseKeepAliveSeconds: number;
  readonly dataDir: string | null;
  readonly journalCompactBytes: number;
  readonly journalFsync: boolean;
  readonly maxClientBufferBytes: number;
  readonly runSchedulesOnTimer: boolean | null;
  readonly maxCascadeDepth: number | null;
  readonly logInvocations: boolean;
}

const DEFAULTS = { port: 9000, host: '127.0.0.1', projectId: 'demo-firelink', sseKeepAliveSeconds: 30, journalCompactBytes: 64 * 1024 * 1024, maxClientBufferBytes: 16 * 1024 * 1024 } as const;

function fail(message: string): never {
  throw new StartupError('bad_option', null, `invalid option: ${message}`, 'see `rtdb-emulator --help` or EmulatorOptions in the README');
}

function optionalString(name: string, v: unknown): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string' || v.length === 0) fail(`${name} must be a non-empty string`);
  return v;
}

export function loadConfig(options: EmulatorOptions): EmulatorConfig {
  const port = options.port ?? DEFAULTS.port;
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`port must be an integer 0..65535 (0 = any free port), got ${String(port)}`);
  const projectId = optionalString('projectId', options.projectId) ?? DEFAULTS.projectId;
  if (!/^[a-z0-9-]+$/.test(projectId)) fail(`projectId "${projectId}" may hold only lower-case letters, digits and dashes`);
  const namespace = optionalString('namespace', options.namespace) ?? `${projectId}-default-rtdb`;
  const maxAge = options.tokenMaxAgeSeconds;
  if (maxAge !== undefined && (!Number.isFinite(maxAge) || maxAge <= 0)) fail('tokenMaxAgeSeconds must be a positive number of seconds');
  const keepAlive = options.sseKeepAliveSeconds ?? DEFAULTS.sseKeepAliveSeconds;
  if (!Number.isFinite(keepAlive) || keepAlive <= 0) fail('sseKeepAliveSeconds must be a positive number');
  const compactBytes = options.journalCompactBytes ?? DEFAULTS.journalCompactBytes;
  if (!Number.isInteger(compactBytes) || compactBytes <= 0) fail('journalCompactBytes must be a positive integer');
  const clientBuffer = options.maxClientBufferBytes ?? DEFAULTS.maxClientBufferBytes;
  if (!Number.isInteger(clientBuffer) || clientBuffer < 64 * 1024) fail('maxClientBufferBytes must be an integer of at least 65536');
  const depth = options.maxCascadeDepth;
  if (depth !== undefined && (!Number.isInteger(depth) || depth < 1)) fail(`maxCascadeDepth must be a positive integer, got ${String(depth)}`);
  if (options.runSchedulesOnTimer !== undefined && typeof options.runSchedulesOnTimer !== 'boolean') fail('runSchedulesOnTimer must be true or false');
  return Object.freeze({
    port,
    host: optionalString('host', options.host) ?? DEFAULTS.host,
    rules: optionalString('rules', options.rules),
    functions: optionalString('functions', options.functions),
    projectId,
    namespace,
    importFile: optionalString('import', options.import),
    exportFile: optionalString('export', options.export),
    strictTokens: options.strictTokens === true || maxAge !== undefined,
    tokenMaxAgeSeconds: maxAge ?? null,
    authEmulatorHost: optionalString('authEmulatorHost', options.authEmulatorHost),
    sseKeepAliveSeconds: keepAlive,
    dataDir: optionalString('dataDir', options.dataDir),
    journalCompactBytes: compactBytes,
    journalFsync: options.journalFsync === true,
    maxClientBufferBytes: clientBuffer,
    runSchedulesOnTimer: options.runSchedulesOnTimer ?? null,
    maxCascadeDepth: depth ?? null,
    logInvocations: options.logInvocations !== false,
  });
}
