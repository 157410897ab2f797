/**
 * `firelink-provision` (root: `npm run provision -- …`): the one provisioning CLI. It targets the
 * local emulators by default and a real project only with `--project <id>` (Application Default
 * Credentials). stdout carries exactly one JSON object (the result, or the error; --help prints
 * text); stderr carries
 * the human text and the firmware's secrets.h block. Exit codes: PROVISION_EXIT_CODES (errors.ts).
 */
import { Command, CommanderError } from 'commander';
import { PROVISION_EXIT_CODES, ProvisionError, isProvisionError } from './errors.js';
import { openProvisioner, type Provisioner } from './provisioner.js';
import { secretsHeader } from './secrets.js';
import { DEFAULT_AUTH_EMULATOR_HOST, DEFAULT_DATABASE_EMULATOR_HOST, resolveTarget, type Target } from './target.js';

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  /** Tests pass a provisioner of their own; the binary opens one for the target. */
  openProvisioner?: (target: Target) => Provisioner;
}

interface Flags {
  device: string;
  owner: string;
  zone?: string;
  name?: string;
  rotate?: boolean;
  failIfExists?: boolean;
  project?: string;
  databaseUrl?: string;
  namespace?: string;
  apiKey?: string;
  authEmulatorHost?: string;
  databaseEmulatorHost?: string;
}

function describeTarget(target: Target): Record<string, string> {
  return target.kind === 'emulators'
    ? { kind: target.kind, projectId: target.projectId, authEmulatorHost: target.authEmulatorHost, databaseEmulatorHost: target.databaseEmulatorHost, namespace: target.namespace }
    : { kind: target.kind, projectId: target.projectId, databaseUrl: target.databaseUrl };
}

function program(io: CliIo, run: (flags: Flags, target: Target) => Promise<void>): Command {
  return new Command('firelink-provision')
    .description('Provision a Firelink device: its Auth user (claim device: <id>), owner index, meta and default config. The local emulators unless --project names a real project.')
    .requiredOption('--device <id>', 'device id (2..63 of a-z 0-9 -)')
    .requiredOption('--owner <uid>', 'Auth uid of the owner')
    .option('--zone <zoneId>', 'zone the device belongs to')
    .option('--name <name>', 'display name (default: the device id)')
    .option('--rotate', 'issue a new password for an existing device (same owner)')
    .option('--fail-if-exists', `exit ${PROVISION_EXIT_CODES['already-exists']} when the device is already provisioned (default: report it and exit 0)`)
    .option('--project <id>', 'a real project, reached with Application Default Credentials (or a demo-* project in the emulators; default GCLOUD_PROJECT when demo-*, else demo-firelink)')
    .option('--database-url <url>', 'real project only: its database URL (default https://<project>-default-rtdb.firebaseio.com)')
    .option('--namespace <ns>', 'emulators only: database namespace (default <project>-default-rtdb)')
    .option('--api-key <key>', "the project's Web API key, for the secrets.h block (emulators: any value works)")
    // The variables are read from io.env below (commander's .env() reads only process.env).
    .option('--auth-emulator-host <host:port>', `Auth emulator (env: FIREBASE_AUTH_EMULATOR_HOST, default: ${DEFAULT_AUTH_EMULATOR_HOST})`)
    .option('--database-emulator-host <host:port>', `database emulator (env: FIREBASE_DATABASE_EMULATOR_HOST, default: ${DEFAULT_DATABASE_EMULATOR_HOST})`)
    .showHelpAfterError('(add --help for usage)')
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .exitOverride()
    .action(async (flags: Flags) => {
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
      await run(flags, target);
    });
}

function writeJson(io: CliIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

async function provisionOnce(flags: Flags, target: Target, io: CliIo): Promise<number> {
  const provisioner = (io.openProvisioner ?? openProvisioner)(target);
  try {
    const device = await provisioner.provision({
      deviceId: flags.device,
      ownerUid: flags.owner,
      ...(flags.zone === undefined ? {} : { zone: flags.zone }),
      ...(flags.name === undefined ? {} : { name: flags.name }),
      ...(flags.rotate ? { rotate: true } : {}),
    });
    const secretsH = secretsHeader(device, target, flags.apiKey);
    writeJson(io, { status: device.rotated ? 'rotated' : 'created', device, target: describeTarget(target), secretsH });
    io.stderr.write(
      `Device ${device.deviceId} ${device.rotated ? 'has a new password' : 'provisioned'} (owner ${device.owner}${device.zone ? `, zone ${device.zone}` : ''}) in ${target.kind === 'emulators' ? `the emulators (${target.projectId})` : `project ${target.projectId}`}.\n` +
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
    const cli = program(io, async (flags, target) => {
      exitCode = await provisionOnce(flags, target, io);
    });
    await cli.parseAsync(argv, { from: 'user' });
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
