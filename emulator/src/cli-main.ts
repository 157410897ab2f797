// The `rtdb-emulator` command line (ARCHITECTURE.md "Emulator CLI"), as a function so tests can
// drive it in-process; cli.ts only wires it to process.argv and signals.
import { Command, InvalidArgumentError } from 'commander';
import { startEmulator, type RunningEmulator } from './index.js';
import type { LogSink } from './logs.js';

function integer(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a non-negative integer');
  return n;
}

interface CliOptions {
  port: number;
  host: string;
  rules?: string;
  functions?: string;
  project: string;
  namespace?: string;
  import?: string;
  export?: string;
  strictTokens?: boolean;
  tokenMaxAgeSeconds?: number;
  authEmulatorHost?: string;
  dataDir?: string;
  journalFsync?: boolean;
}

function command(): Command {
  return new Command()
    .name('rtdb-emulator')
    .description('Java-free Firebase Realtime Database emulator (WebSocket, long polling, REST, SSE, rules, functions host)')
    .option('--port <port>', 'port to listen on (0 = any free port)', integer, 9000)
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--rules <file>', 'rules file for every namespace; reloaded on change')
    .option('--functions <dir>', 'functions package to host (v2 database triggers and schedules)')
    .option('--project <id>', 'project id', 'demo-firelink')
    .option('--namespace <ns>', 'namespace used by --import/--export (default <project>-default-rtdb)')
    .option('--import <file>', 'JSON (export format) loaded at start')
    .option('--export <file>', 'JSON written on exit')
    .option('--strict-tokens', 'refuse expired ID tokens (default: no expiry checks, like the official emulator)')
    .option('--token-max-age-seconds <n>', 'with strict tokens: refuse tokens issued longer ago than this', integer)
    .option('--auth-emulator-host <host:port>', 'Auth emulator, passed to functions')
    .option('--data-dir <dir>', 'durable mode: journal every write before acknowledging it; restore data and pending function events at start')
    .option('--journal-fsync', 'with --data-dir: acknowledge writes only after fdatasync (also survives power loss; slower)');
}

/** Parses `argv` (without node and script) and starts the emulator; throws on bad flags. */
export async function runCli(argv: readonly string[], log?: LogSink): Promise<RunningEmulator> {
  const program = command().exitOverride();
  program.parse([...argv], { from: 'user' });
  const o = program.opts<CliOptions>();
  return startEmulator({
    port: o.port,
    host: o.host,
    projectId: o.project,
    ...(o.rules !== undefined && { rules: o.rules }),
    ...(o.functions !== undefined && { functions: o.functions }),
    ...(o.namespace !== undefined && { namespace: o.namespace }),
    ...(o.import !== undefined && { import: o.import }),
    ...(o.export !== undefined && { export: o.export }),
    ...(o.strictTokens === true && { strictTokens: true }),
    ...(o.tokenMaxAgeSeconds !== undefined && { tokenMaxAgeSeconds: o.tokenMaxAgeSeconds }),
    ...(o.authEmulatorHost !== undefined && { authEmulatorHost: o.authEmulatorHost }),
    ...(o.dataDir !== undefined && { dataDir: o.dataDir }),
    ...(o.journalFsync === true && { journalFsync: true }),
    ...(log !== undefined && { log }),
  });
}
