/**
 * `firelink-provision` (root: `npm run provision -- …`): the one provisioning CLI, and
 * `firelink-provision move --device <id> --to <instance>` (move.ts). It targets the
 * local emulators by default and a real project only with `--project <id>` (Application Default
 * Credentials). stdout carries exactly one JSON object (the result, or the error; --help prints
 * text); stderr carries
 * the human text and the firmware's secrets.h block. Exit codes: PROVISION_EXIT_CODES (errors.ts).
 */
import { Command, CommanderError } from 'commander';
import { PROVISION_EXIT_CODES, ProvisionError, isProvisionError } from './errors.js';
import { openProvisioner, type Provisioner, type ProvisionerOptions } from './provisioner.js';
import { secretsHeader } from './secrets.js';
import { SHARDS_ENV, parseShardList } from './shards.js';
import { DEFAULT_AUTH_EMULATOR_HOST, DEFAULT_DATABASE_EMULATOR_HOST, resolveTarget, type Target } from './target.js';

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  /** Tests pass a provisioner of their own; the binary opens one for the target. */
  openProvisioner?: (target: Target, options: ProvisionerOptions) => Provisioner;
}

interface TargetFlags {
  project?: string;
  databaseUrl?: string;
  namespace?: string;
  authEmulatorHost?: string;
  databaseEmulatorHost?: string;
  shards?: string;
}

interface MoveFlags extends TargetFlags {
  device: string;
  to: string;
  waitMs: string;
}

interface Flags extends TargetFlags {
  device: string;
  owner: string;
  zone?: string;
  name?: string;
  rotate?: boolean;
  failIfExists?: boolean;
  shard?: string;
  apiKey?: string;
}

function describeTarget(target: Target): Record<string, string> {
  return target.kind === 'emulators'
    ? { kind: target.kind, projectId: target.projectId, authEmulatorHost: target.authEmulatorHost, databaseEmulatorHost: target.databaseEmulatorHost, namespace: target.namespace }
    : { kind: target.kind, projectId: target.projectId, databaseUrl: target.databaseUrl };
}

/** The options every command shares: where, and which instances. */
function withTargetOptions(command: Command): Command {
  return command
    .option('--project <id>', 'a real project, reached with Application Default Credentials (or a demo-* project in the emulators; default GCLOUD_PROJECT when demo-*, else demo-firelink)')
    .option('--database-url <url>', 'real project only: its default database URL (default https://<project>-default-rtdb.firebaseio.com)')
    .option('--namespace <ns>', 'emulators only: the default instance\'s namespace (default <project>-default-rtdb)')
    .option('--shards <list>', `database instances devices may go to, a,b:capacity,c, or N for a local stack started with --shards N (env: ${SHARDS_ENV}; default: the default instance alone)`)
    // The variables are read from io.env below (commander's .env() reads only process.env).
    .option('--auth-emulator-host <host:port>', `Auth emulator (env: FIREBASE_AUTH_EMULATOR_HOST, default: ${DEFAULT_AUTH_EMULATOR_HOST})`)
    .option('--database-emulator-host <host:port>', `database emulator (env: FIREBASE_DATABASE_EMULATOR_HOST, default: ${DEFAULT_DATABASE_EMULATOR_HOST})`);
}

function targetOf(flags: TargetFlags, io: CliIo): { target: Target; options: ProvisionerOptions } {
  // resolveTarget layers flags > variables > defaults, and refuses emulator hosts with a real project.
  const target = resolveTarget(
    {
      project: flags.project,
      databaseUrl: flags.databaseUrl,
      namespace: flags.namespace,
      authEmulatorHost: flags.authEmulatorHost,
      databaseEmulatorHost: flags.databaseEmulatorHost,
    },
    io.env,
  );
  const shards = flags.shards !== undefined ? parseShardList(flags.shards, '--shards', target.projectId) : parseShardList(io.env[SHARDS_ENV], SHARDS_ENV, target.projectId);
  return { target, options: { shards } };
}

function program(io: CliIo, run: (flags: Flags, target: Target, options: ProvisionerOptions) => Promise<void>): Command {
  return withTargetOptions(new Command('firelink-provision'))
    .description('Provision a Firelink device: its Auth user (claim device: <id>), owner index, meta and default config. The local emulators unless --project names a real project.')
    .requiredOption('--device <id>', 'device id (2..63 of a-z 0-9 -)')
    .requiredOption('--owner <uid>', 'Auth uid of the owner')
    .option('--zone <zoneId>', 'zone the device belongs to')
    .option('--name <name>', 'display name (default: the device id)')
    .option('--rotate', 'issue a new password for an existing device (same owner)')
    .option('--fail-if-exists', `exit ${PROVISION_EXIT_CODES['already-exists']} when the device is already provisioned (default: report it and exit 0)`)
    .option('--shard <instance>', 'put the device on this instance of --shards (default: the least-loaded one)')
    .option('--api-key <key>', "the project's Web API key, for the secrets.h block (emulators: any value works)")
    .addHelpText('after', '\nMove a device to another shard: firelink-provision move --device <id> --to <instance> (--help there)')
    .showHelpAfterError('(add --help for usage)')
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .exitOverride()
    .action(async (flags: Flags) => {
      const { target, options } = targetOf(flags, io);
      await run(flags, target, options);
    });
}

function moveProgram(io: CliIo, run: (flags: MoveFlags, target: Target, options: ProvisionerOptions) => Promise<void>): Command {
  return withTargetOptions(new Command('firelink-provision move'))
    .description(
      'Move a device to another database instance: copy its data, switch deviceShards/<id>, send it a reconnect command and wait for it on the target, copy the readings written meanwhile, delete the old copy. Run it again to finish a move that stopped.',
    )
    .requiredOption('--device <id>', 'device id')
    .requiredOption('--to <instance>', 'the target instance (one of --shards / FIRELINK_SHARDS, or the default instance)')
    .option('--wait-ms <ms>', 'how long to wait for the device to ack reconnect and write its status on the target', '30000')
    .showHelpAfterError('(add --help for usage)')
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .exitOverride()
    .action(async (flags: MoveFlags) => {
      const { target, options } = targetOf(flags, io);
      await run(flags, target, options);
    });
}

async function moveOnce(flags: MoveFlags, target: Target, options: ProvisionerOptions, io: CliIo): Promise<number> {
  const waitMs = Number(flags.waitMs);
  if (!/^\d+$/.test(flags.waitMs) || !Number.isSafeInteger(waitMs)) {
    throw new ProvisionError('invalid-argument', `--wait-ms: must be a whole number of milliseconds, e.g. 30000 (got ${JSON.stringify(flags.waitMs)})`);
  }
  const provisioner = (io.openProvisioner ?? openProvisioner)(target, options);
  try {
    const report = await provisioner.move({ deviceId: flags.device, to: flags.to, waitMs });
    writeJson(io, { ...report, target: describeTarget(target) });
    const what =
      report.status === 'already-there'
        ? `is already on ${report.to}; nothing to do`
        : report.status === 'finished'
          ? `was already switched to ${report.to}; the copy left on ${report.from} is removed (${report.copied.delta} readings carried over)`
          : `moved from ${report.from} to ${report.to} (${report.copied.readings} readings, ${report.copied.rollups} rollup minutes, ${report.copied.delta} more readings after the switch; ` +
            `${report.reconnect.wasOnline ? `reconnect ${report.reconnect.acked ? 'acked' : 'not acked'}, ${report.reconnect.onTarget ? 'online on the target' : 'not seen on the target'} after ${report.reconnect.waitedMs} ms` : 'the device was offline: it reads its shard at its next boot'})`;
    io.stderr.write(`Device ${report.deviceId} ${what}.\n${report.warnings.map((w) => `warning: ${w}\n`).join('')}`);
    return PROVISION_EXIT_CODES.ok;
  } finally {
    await provisioner.close();
  }
}

function writeJson(io: CliIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

async function provisionOnce(flags: Flags, target: Target, options: ProvisionerOptions, io: CliIo): Promise<number> {
  const provisioner = (io.openProvisioner ?? openProvisioner)(target, options);
  try {
    const device = await provisioner.provision({
      deviceId: flags.device,
      ownerUid: flags.owner,
      ...(flags.zone === undefined ? {} : { zone: flags.zone }),
      ...(flags.name === undefined ? {} : { name: flags.name }),
      ...(flags.rotate ? { rotate: true } : {}),
      ...(flags.shard === undefined ? {} : { shard: flags.shard }),
    });
    const secretsH = secretsHeader(device, target, flags.apiKey);
    writeJson(io, { status: device.rotated ? 'rotated' : 'created', device, target: describeTarget(target), secretsH });
    io.stderr.write(
      `Device ${device.deviceId} ${device.rotated ? 'has a new password' : 'provisioned'} (owner ${device.owner}${device.zone ? `, zone ${device.zone}` : ''}, shard ${device.shard}) in ${target.kind === 'emulators' ? `the emulators (${target.projectId})` : `project ${target.projectId}`}.\n` +
        `Password: ${device.password}  (store it now: it is kept nowhere; --rotate issues a new one)\n\n${secretsH}`,
    );
    return PROVISION_EXIT_CODES.ok;
  } catch (error) {
    if (!isProvisionError(error, 'already-exists')) throw error;
    writeJson(io, { status: 'already-exists', deviceId: flags.device, target: describeTarget(target), message: error.message });
    io.stderr.write(`firelink-provision: ${error.message}\n`);
    return flags.failIfExists ? error.exitCode : PROVISION_EXIT_CODES.ok;
  } finally {
    await provisioner.close();
  }
}

/** Runs the CLI; resolves to the process exit code. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  let exitCode: number = PROVISION_EXIT_CODES.ok;
  try {
    const cli =
      argv[0] === 'move'
        ? moveProgram(io, async (flags, target, options) => {
            exitCode = await moveOnce(flags, target, options, io);
          })
        : program(io, async (flags, target, options) => {
            exitCode = await provisionOnce(flags, target, options, io);
          });
    await cli.parseAsync(argv[0] === 'move' ? argv.slice(1) : argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with exit code 0; usage errors are invalid arguments.
      if (error.exitCode === 0) return PROVISION_EXIT_CODES.ok;
      writeJson(io, { status: 'error', code: 'invalid-argument', message: error.message });
      return PROVISION_EXIT_CODES['invalid-argument'];
    }
    const known = error instanceof ProvisionError ? error : null;
    const code = known?.code ?? 'internal';
    const message = error instanceof Error ? error.message : String(error);
    writeJson(io, { status: 'error', code, message });
    io.stderr.write(`firelink-provision: ${code}: ${message}\n`);
    if (!known && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
    return known?.exitCode ?? PROVISION_EXIT_CODES.internal;
  }
}
