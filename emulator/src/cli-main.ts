// The `rtdb-emulator` command line (README "Command line"), as a function so tests can drive it
// in-process; cli.ts only wires it to process.argv and signals, and dispatches the functions
// subcommands (functions/cli-commands.ts).
import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { FUNCTIONS_COMMANDS } from './functions/cli-commands.js';
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
  invocationLog?: boolean;
  maxClientBufferBytes?: number;
}

/** The package version (package.json sits one folder above both src/ and dist/). */
export function emulatorVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

const SUBCOMMANDS_HELP = `
Subcommands (talk to a running emulator; each has --help):
  run-schedule <name>   run a scheduled function now and wait for it
  functions-status      print the functions host's triggers, schedules and skipped exports
  functions-idle        wait until every queued function event has been handled
Without a subcommand, rtdb-emulator starts an emulator with the options above.`;

function command(): Command {
  return new Command()
    .name('rtdb-emulator')
    .usage('[options] | <subcommand> [options]')
    .description('Java-free Firebase Realtime Database emulator (WebSocket, long polling, REST, SSE, rules, functions host)')
    .version(emulatorVersion(), '-V, --version', 'print the version')
    .argument('[subcommand]', 'one of the subcommands below')
    .allowExcessArguments(true)
    .addHelpText('after', SUBCOMMANDS_HELP)
    .option('--port <port>', 'port to listen on (0 = any free port)', integer, 9000)
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--rules <file>', 'rules file for every namespace; reloaded on change')
    .option('--functions <dir>', 'functions package to host (v2 database triggers and schedules)')
    .option('--project <id>', 'project id', 'demo-firelink')
    .option('--namespace <ns>', 'namespace used by --import/--export (default <project>-default-rtdb)')
    .option('--import <file>', 'JSON (export format) loaded at start')
    .option('--export <file>', 'JSON written on exit')
    .option('--strict-tokens', 'refuse expired ID tokens, and tokens without a numeric exp or for another project (aud/iss); signatures are never checked')
    .option('--token-max-age-seconds <n>', 'with strict tokens: refuse tokens issued longer ago than this', integer)
    .option('--auth-emulator-host <host:port>', 'Auth emulator, passed to functions')
    .option('--data-dir <dir>', 'durable mode: journal every write before acknowledging it; restore data and pending function events at start')
    .option('--journal-fsync', 'with --data-dir: acknowledge writes only after fdatasync (also survives power loss; slower)')
    .option('--max-client-buffer-bytes <n>', 'disconnect a client whose unsent data passes this many bytes (default 16 MiB)', integer)
    .option('--no-invocation-log', 'functions host: no line per successful invocation (failures, timeouts and function output are still logged)');
}

/** Parses `argv` (without node and script) and starts the emulator; throws on bad flags. */
export async function runCli(argv: readonly string[], log?: LogSink): Promise<RunningEmulator> {
  const program = command().exitOverride();
  program.parse([...argv], { from: 'user' });
  const subcommand = program.args[0];
  if (subcommand !== undefined) {
    program.error(`rtdb-emulator: unknown subcommand "${subcommand}"; the subcommands are ${FUNCTIONS_COMMANDS.join(', ')} (see rtdb-emulator --help)`, {
      exitCode: 2,
      code: 'rtdb-emulator.unknownSubcommand',
    });
  }
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
    ...(o.maxClientBufferBytes !== undefined && { maxClientBufferBytes: o.maxClientBufferBytes }),
    ...(o.invocationLog === false && { logInvocations: false }),
    ...(log !== undefined && { log }),
  });
}
