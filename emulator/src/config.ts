// The emulator's options: validated once at start, defaults in one literal, frozen afterwards.
import type { LogSink } from './logs.js';

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
}

const DEFAULTS = { port: 9000, host: '127.0.0.1', projectId: 'demo-firelink', sseKeepAliveSeconds: 30 } as const;

function fail(message: string): never {
  throw new Error(`rtdb-emulator: invalid option: ${message}`);
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
  });
}
