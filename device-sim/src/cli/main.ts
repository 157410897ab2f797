// The command line: commander definitions only. Each action loads its configuration through
// config.ts and calls the module that does the work; every failure becomes a SimError with an
// exit code (errors.ts, listed in docs/device-sim.md).
import { Command, CommanderError, Option } from 'commander';
import {
  DATA_DEFAULTS,
  DataSchema,
  FLEET_DEFAULTS,
  FleetSchema,
  RUN_DEFAULTS,
  ENV_VARS,
  NOT_FROM_ENV,
  RunSchema,
  loadConfig,
  resolveCredentials,
  type DataConfig,
} from './config.js';
import { connectAs, connectAsEmulatorAdmin, type Connection } from '../transport/connect.js';
import { checkAdminWrite } from './admin-write.js';
import { buildQuery, formatOrdered, parseJsonValue } from './data.js';
import { EXIT_CODES, SimError, exitCodeOf } from '../errors.js';
import { runFleet } from './fleet.js';
import { fleetLogSink, jsonLineSink, type LogLevel, type LogSink } from '../logs.js';
import { seededRandom } from '../random.js';
import { runDevice } from './run.js';

export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  /** Aborted on SIGINT / SIGTERM by the binary; tests abort it themselves. */
  signal: AbortSignal;
  fetch?: typeof fetch;
}

const int = (name: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isFinite(n)) throw new SimError('bad-config', `${name}: must be a number (got "${value}")`);
  return n;
};

function connectionOptions(command: Command): Command {
  return command
    .option('--config <file>', 'JSON file with any of these options (camelCase keys); flags and env win over it')
    .option('--project <id>', 'project id')
    .option('--api-key <key>', 'Web API key: with a non-demo --project this targets REAL Firebase')
    .option('--database-url <url>', "the device's shard: https://<instance>.firebaseio.com, or http://host:port/?ns=<instance> on the emulator (default: the credentials file's, else the default instance)")
    .option('--directory-url <url>', 'the default instance, which holds deviceShards/<id> (same forms and default)')
    .option('--namespace <ns>', 'emulator namespace (default <project>-default-rtdb)')
    .option('--database-emulator-host <host:port>', 'RTDB emulator')
    .option('--auth-emulator-host <host:port>', 'Auth emulator')
    .addOption(new Option('--transport <kind>', 'rest (REST + SSE, like the firmware), sdk (firebase JS SDK) or mqtt (the MQTT gateway)').choices(['rest', 'sdk', 'mqtt']))
    .addOption(new Option('--mqtt-url <url>', 'the MQTT gateway for --transport mqtt (default mqtt://127.0.0.1:1883)'))
    .option('--request-timeout-ms <ms>', 'deadline of each request', int('--request-timeout-ms'))
    .option('--stream-idle-timeout-ms <ms>', 'reconnect a stream silent for this long', int('--stream-idle-timeout-ms'))
    .option('--refresh-margin-ms <ms>', 'refresh the ID token this long before it expires', int('--refresh-margin-ms'))
    .option('--max-token-lifetime-ms <ms>', 'treat ID tokens as expiring this soon after issue', int('--max-token-lifetime-ms'))
    .option('--backoff-base-ms <ms>', 'first retry delay', int('--backoff-base-ms'))
    .option('--backoff-max-ms <ms>', 'largest retry delay', int('--backoff-max-ms'))
    .addOption(new Option('--log-level <level>', 'log lines on stderr from this level').choices(['debug', 'info', 'warn', 'error']));
}

function credentialOptions(command: Command): Command {
  return command
    .option('--email <email>', 'account email')
    .option('--password <password>', 'account password')
    .option('--credentials-file <file>', 'JSON {"email","password"} (provisioning also writes "databaseUrl", "directoryUrl")');
}

function sources(flags: Record<string, unknown>, io: CliIo) {
  return { flags, env: io.env, file: flags.config as string | undefined };
}

function sinkFor(io: CliIo, level: LogLevel): LogSink {
  return jsonLineSink(io.stderr, level);
}

async function dataConnection(config: DataConfig, io: CliIo): Promise<Connection> {
  const deps = { fetch: io.fetch ?? fetch, random: seededRandom(Date.now() % 2 ** 31), nowMs: () => Date.now() };
  if (config.admin) return connectAsEmulatorAdmin(config, deps);
  return connectAs(config, resolveCredentials(config, 'this command'), deps);
}

/** JSON text already formatted (a query result in query order). */
class PrintedJson {
  constructor(readonly text: string) {}
}

async function withData(flags: Record<string, unknown>, io: CliIo, fn: (c: Connection, config: DataConfig) => Promise<unknown>): Promise<void> {
  const config = loadConfig(DataSchema, DATA_DEFAULTS, sources({ ...flags, force: undefined }, io));
  const connection = await dataConnection(config, io);
  try {
    const result = await fn(connection, config);
    io.stdout.write(`${result instanceof PrintedJson ? result.text : JSON.stringify(result, null, 2)}\n`);
  } finally {
    await connection.transport.close();
  }
}

export function buildProgram(io: CliIo): Command {
  const program = new Command('device-sim')
    .description('Firelink device simulator: one device or a fleet over REST + SSE (like the firmware) or the firebase SDK; CRUD, queries and provisioning.')
    .showHelpAfterError('(add --help for usage)')
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .exitOverride()
    // config.ts layers flags > environment > --config file > defaults and validates once, so an
    // action sees only what was typed; commander's own defaults and env values serve --help.
    .hook('preAction', (_program, action) => {
      for (const option of action.options) {
        const key = option.attributeName();
        if (action.getOptionValueSource(key) !== 'cli') action.setOptionValueWithSource(key, undefined, 'default');
      }
    });

  connectionOptions(credentialOptions(program.command('run')))
    .description('run one device: sign in as the device, push readings, show the LCD and servo live')
    .option('--device <id>', 'device id')
    .option('--queue-file <file>', 'durable offline queue (default .device-sim/<id>.queue.json)')
    .option('--max-queued <n>', 'readings kept while offline; older ones are dropped with a warning', int('--max-queued'))
    .option('--seed <n>', 'random seed for a reproducible signal', int('--seed'))
    .option('--duration-ms <ms>', 'stop after this long (default: until Ctrl-C)', int('--duration-ms'))
    .option('--drain-ms <ms>', 'after --duration-ms, wait this long at most for the queue to empty and states to arrive', int('--drain-ms'))
    .addOption(new Option('--view <mode>', 'live terminal view, JSON lines, or nothing').choices(['live', 'json', 'none']))
    .option('--fw <version>', 'firmware version written to status')
    .option('--sample-ms <ms>', 'sampling period overriding the device config', int('--sample-ms'))
    .addOption(new Option('--streams <which>', 'all: stream state, config and commands; state: stream state only, poll the rest every heartbeat').choices(['all', 'state']))
    .action(async (flags: Record<string, unknown>) => {
      const config = loadConfig(RunSchema, RUN_DEFAULTS, sources(flags, io));
      // Info lines would scroll the live view away: it shows the same facts.
      const live = (config.view ?? (io.stdout.isTTY ? 'live' : 'json')) === 'live';
      const level = live && config.logLevel === 'info' ? 'warn' : config.logLevel;
      const report = await runDevice(config, { stdout: io.stdout, sink: sinkFor(io, level), signal: io.signal, ...(io.fetch ? { fetch: io.fetch } : {}) });
      // Reports go to stdout for every command (results on stdout, logs on stderr): one JSON line.
      io.stdout.write(`${JSON.stringify({ report })}\n`);
    });

  connectionOptions(program.command('fleet'))
    .description('run N devices in one process (provisioned on the fly against the emulator), with a live summary and a final report')
    .option('--count <n>', 'number of devices', int('--count'))
    .option('--rate <r>', 'readings per second per device (default: each device config sampleMs)', int('--rate'))
    .option('--prefix <p>', 'device ids are <prefix>-0001...')
    .option('--owner <uid>', 'owner uid of provisioned devices')
    .addOption(new Option('--provision <mode>', 'auto: only against the emulator').choices(['auto', 'always', 'never']))
    .option('--credentials-file <file>', 'JSON array of {"deviceId","email","password"} (with --provision never)')
    .option('--rotate', 'issue new passwords even for devices that are online elsewhere (default: refuse)')
    .option('--queue-dir <dir>', 'durable offline queues, one file per device (default: in memory)')
    .option('--max-queued <n>', 'readings kept per device while offline', int('--max-queued'))
    .option('--seed <n>', 'random seed', int('--seed'))
    .option('--duration-ms <ms>', 'stop after this long (default: until Ctrl-C)', int('--duration-ms'))
    .option('--stats-interval-ms <ms>', 'summary line period', int('--stats-interval-ms'))
    .option('--drain-ms <ms>', 'after the duration, wait this long at most for queues to empty and states to arrive', int('--drain-ms'))
    .option('--report-file <file>', 'also write the final report here')
    .option('--start-spread-ms <ms>', 'spread device starts over this long', int('--start-spread-ms'))
    .option('--fw <version>', 'firmware version written to status')
    .addOption(new Option('--streams <which>', 'all: stream state, config and commands; state: stream state only, poll the rest every heartbeat').choices(['all', 'state']))
    .action(async (flags: Record<string, unknown>) => {
      const config = loadConfig(FleetSchema, FLEET_DEFAULTS, sources(flags, io));
      // Device lines of a fleet: warnings and up by default, at most 20 a second.
      const sink = fleetLogSink(io.stderr, config.logLevel === 'info' ? 'warn' : config.logLevel, 20);
      const report = await runFleet(config, { out: io.stdout, sink, signal: io.signal, ...(io.fetch ? { fetch: io.fetch } : {}) });
      io.stdout.write(`${JSON.stringify({ report })}\n`);
    });

  const dataCommand = (name: string, description: string) =>
    connectionOptions(credentialOptions(program.command(name)))
      .description(description)
      .option('--admin', 'emulator only: act as admin (Authorization: Bearer owner), bypassing rules; writes are checked against the model schemas instead')
      .option('--force', 'with --admin: write even what the model schemas refuse');

  dataCommand('get', 'print the JSON at a path').argument('<path>').action(async (path: string, flags: Record<string, unknown>) => {
    await withData(flags, io, (c) => c.transport.get(path));
  });
  dataCommand('set', 'write JSON at a path (replaces it)')
    .argument('<path>')
    .argument('<json>', 'the value, as JSON (strings in double quotes)')
    .action(async (path: string, json: string, flags: Record<string, unknown>) => {
      const value = parseJsonValue(json, 'the value');
      await withData(flags, io, async (c, config) => {
        if (config.admin && !flags.force) await checkAdminWrite({ kind: 'set', path, value }, (p) => c.transport.get(p));
        await c.transport.set(path, value);
        return { ok: true, path };
      });
    });
  dataCommand('update', 'merge a JSON object into a path (keys may be deep paths; null deletes)')
    .argument('<path>')
    .argument('<json>', 'a JSON object')
    .action(async (path: string, json: string, flags: Record<string, unknown>) => {
      const value = parseJsonValue(json, 'the update');
      if (!value || typeof value !== 'object' || Array.isArray(value)) throw new SimError('bad-config', 'the update must be a JSON object, e.g. \'{"online": true}\'');
      await withData(flags, io, async (c, config) => {
        if (config.admin && !flags.force) await checkAdminWrite({ kind: 'update', path, values: value }, (p) => c.transport.get(p));
        await c.transport.update(path, value);
        return { ok: true, path };
      });
    });
  dataCommand('delete', 'remove the value at a path').argument('<path>').action(async (path: string, flags: Record<string, unknown>) => {
    await withData(flags, io, async (c) => {
      await c.transport.remove(path);
      return { ok: true, path };
    });
  });
  dataCommand('query', 'print the children of a path that match a filtered query, in query order')
    .argument('<path>')
    .requiredOption('--order-by <order>', 'key | value | child:<path> (or just <path>)')
    .option('--start-at <v>', 'lower bound (JSON: 5, "a", true; bare words are strings)')
    .option('--end-at <v>', 'upper bound')
    .option('--equal-to <v>', 'exact match')
    .option('--limit-first <n>', 'first n in order', int('--limit-first'))
    .option('--limit-last <n>', 'last n in order', int('--limit-last'))
    .action(async (path: string, flags: Record<string, unknown>) => {
      const query = buildQuery(flags as never);
      await withData(flags, io, async (c) => new PrintedJson(formatOrdered(await c.transport.get(path, query), query.orderBy)));
    });

  describeDefaults(program);
  return program;
}

/** Shows each option's default and environment variable in --help (commander .default() / .env()). */
function describeDefaults(program: Command): void {
  const defaults: Record<string, Record<string, unknown>> = { run: RUN_DEFAULTS, fleet: FLEET_DEFAULTS };
  for (const command of program.commands) {
    const own: Record<string, unknown> = defaults[command.name()] ?? DATA_DEFAULTS;
    for (const option of command.options) {
      const key = option.attributeName();
      const value = own[key];
      if (option.defaultValue === undefined && value !== undefined && typeof value !== 'boolean') option.default(value);
      const env = ENV_VARS[key];
      if (env !== undefined && !NOT_FROM_ENV.has(key)) option.env(env);
    }
  }
}

/** Runs the CLI; resolves to the process exit code. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return io.signal.aborted ? EXIT_CODES.interrupted : EXIT_CODES.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version end here too, with exit code 0.
      return error.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES['bad-config'];
    }
    const message = error instanceof Error ? error.message : String(error);
    const code = error instanceof SimError ? error.code : 'internal';
    io.stderr.write(`device-sim: ${code}: ${message}\n`);
    if (!(error instanceof SimError) && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
    return exitCodeOf(error);
  }
}
