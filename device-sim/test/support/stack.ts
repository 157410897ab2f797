// The local stack for integration tests: our RTDB emulator (rules + functions host) and the
// firebase-tools Auth emulator, both on free ports; the backend's provisioning adds devices.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../../functions/test/support/free-port.js';
import { startAuthEmulator, type AuthEmulator } from '../../../functions/test/support/auth-emulator.js';
import { CONNECTION_DEFAULTS, type ConnectionConfig } from '../../src/cli/config.js';
import { openProvisioner, type ProvisionedDevice } from '../../src/cli/provision.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const PROJECT = 'demo-firelink';
export const NAMESPACE = `${PROJECT}-default-rtdb`;
export const RULES_FILE = join(root, 'database.rules.json');
export const FUNCTIONS_DIR = join(root, 'functions');

/** Why the backend functions cannot run here, or null when they can. */
export function functionsMissing(): string | null {
  if (!existsSync(join(root, 'emulator', 'dist', 'index.js'))) return 'emulator/dist is not built (npm run build -w emulator)';
  if (!existsSync(join(root, 'emulator', 'dist', 'rules', 'index.js'))) return 'the emulator rules engine is not built (npm run build -w emulator)';
  if (!existsSync(join(FUNCTIONS_DIR, 'lib', 'index.js'))) return 'functions/lib/index.js is not built (npm run build -w functions)';
  if (!existsSync(join(root, 'provisioning', 'dist', 'index.js'))) return 'provisioning/dist is not built (npm run build -w provisioning)';
  return null;
}

/** The built emulator's `startEmulator` (a real server with its rules engine and functions host). */
type StartEmulator = (options: {
  port: number;
  projectId: string;
  rules: string;
  functions: string;
  authEmulatorHost: string;
  log: () => void;
  strictTokens?: boolean;
  tokenMaxAgeSeconds?: number;
}) => Promise<DatabaseServer>;

async function loadStartEmulator(): Promise<StartEmulator> {
  // A variable specifier: the typecheck must not need the emulator built (tests skip loudly instead).
  const specifier: string = '@firelink/emulator';
  return ((await import(specifier)) as { startEmulator: StartEmulator }).startEmulator;
}

/** What the tests need of the database emulator, in-process or a child process. */
export interface DatabaseServer {
  url: string;
  hostPort: string;
  /** Fault injection (in-process only): stop listening for `downMs`, keeping the data. */
  restart(downMs?: number): Promise<void>;
  /** CPU time used so far by a separate emulator process (Linux /proc), for benchmark figures. */
  cpuMs?(): number | null;
  stop(): Promise<void>;
}

export interface Stack {
  db: DatabaseServer;
  auth: AuthEmulator;
  config(overrides?: Partial<ConnectionConfig>): ConnectionConfig;
  provision(deviceId: string, owner?: string): Promise<ProvisionedDevice>;
  /** Admin REST read of the default namespace. */
  read(path: string): Promise<unknown>;
  /** Waits until the functions host has nothing in flight (POST /.functions/idle). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export interface StackOptions {
  /** Run the emulator CLI as its own process, so it does not share this event loop. */
  separateProcess?: boolean;
  strictTokens?: boolean;
  tokenMaxAgeSeconds?: number;
  auth?: AuthEmulator;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const auth = options.auth ?? (await startAuthEmulator({ projectId: PROJECT }));
  process.env.FIREBASE_AUTH_EMULATOR_HOST = auth.hostAndPort;
  const db: DatabaseServer = options.separateProcess
    ? await spawnEmulator(auth.hostAndPort)
    : await (await loadStartEmulator())({
        port: 0,
        projectId: PROJECT,
        rules: RULES_FILE,
        functions: FUNCTIONS_DIR,
        authEmulatorHost: auth.hostAndPort,
        log: () => {},
        ...(options.strictTokens ? { strictTokens: true } : {}),
        ...(options.tokenMaxAgeSeconds !== undefined ? { tokenMaxAgeSeconds: options.tokenMaxAgeSeconds } : {}),
      });
  process.env.FIREBASE_DATABASE_EMULATOR_HOST = db.hostPort;
  const config = (overrides: Partial<ConnectionConfig> = {}): ConnectionConfig => ({
    ...CONNECTION_DEFAULTS,
    project: PROJECT,
    databaseEmulatorHost: db.hostPort,
    authEmulatorHost: auth.hostAndPort,
    requestTimeoutMs: 5_000,
    backoffBaseMs: 100,
    backoffMaxMs: 1_000,
    ...overrides,
  });
  const provisioner = await openProvisioner(config());
  const read = async (path: string) => {
    const res = await fetch(`${db.url}/${path}.json?ns=${NAMESPACE}`, { headers: { authorization: 'Bearer owner' } });
    return (await res.json()) as unknown;
  };
  return {
    db,
    auth,
    config,
    provision: (deviceId, owner = 'owner-1') => provisioner.provisionOrRotate({ deviceId, ownerUid: owner }),
    read,
    async idle() {
      await fetch(`${db.url}/.functions/idle`, { method: 'POST' }).then((r) => r.arrayBuffer()).catch(() => {});
    },
    async stop() {
      await provisioner.close();
      await db.stop();
      if (!options.auth) await auth.stop();
    },
  };
}

/** The emulator CLI in its own process on a free port; resolves once it answers. */
async function spawnEmulator(authHostPort: string): Promise<DatabaseServer> {
  const port = await freePort();
  const cli = join(root, 'emulator', 'dist', 'cli.js');
  const args = [cli, '--port', String(port), '--project', PROJECT, '--rules', RULES_FILE, '--functions', FUNCTIONS_DIR, '--auth-emulator-host', authHostPort];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, GCLOUD_PROJECT: PROJECT } });
  let output = '';
  child.stderr?.on('data', (c: Buffer) => {
    output = (output + c.toString()).slice(-4_000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
  await eventually(
    `the emulator on ${url} (output: ${output})`,
    async () => {
      if (child.exitCode !== null) throw new Error(`emulator exited ${child.exitCode}: ${output}`);
      const res = await fetch(`${url}/.json?ns=${NAMESPACE}&shallow=true`, { headers: { authorization: 'Bearer owner' } });
      await res.arrayBuffer();
      return true;
    },
    30_000,
  ).catch(async (error: unknown) => {
    await stop();
    throw error;
  });
  return {
    url,
    hostPort: `127.0.0.1:${port}`,
    restart: () => Promise.reject(new Error('restart() needs the in-process emulator')),
    cpuMs: () => processTreeCpuMs(child.pid),
    stop,
  };
}

/** utime + stime of a process and its children (the functions worker), in ms (USER_HZ = 100). */
function processTreeCpuMs(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // Fields after "(comm) ": state is index 0, so utime=11 stime=12 cutime=13 cstime=14.
    let ticks = [11, 12, 13, 14].reduce((n, i) => n + Number(fields[i]), 0);
    for (const child of readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean)) {
      ticks += (processTreeCpuMs(Number(child)) ?? 0) / 10;
    }
    return ticks * 10;
  } catch {
    return null;
  }
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `device-sim-${prefix}-`));
}

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
