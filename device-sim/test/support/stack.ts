// The device simulator's view of the local stack (@firelink/stack): our RTDB emulator (rules +
// functions host) and the firebase-tools Auth emulator on free ports; devices are added through
// the simulator's own provisioner (src/cli/provision.ts), which is what these tests exercise.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, stackConfig, startStack as startLocalStack, treeCpuMs, type Stack as LocalStack } from '@firelink/stack';
import { CONNECTION_DEFAULTS, type ConnectionConfig } from '../../src/cli/config.js';
import { openProvisioner, type ProvisionedDevice } from '../../src/cli/provision.js';

export { eventually };
export const PROJECT = stackConfig().projectId;
export const NAMESPACE = stackConfig().namespace;
export const RULES_FILE = stackConfig().rulesFile;
export const FUNCTIONS_DIR = stackConfig().functionsDir;

/** Why the backend functions cannot run here, or null when they can. */
export function functionsMissing(): string | null {
  const root = stackConfig().root;
  if (!existsSync(join(root, 'emulator', 'dist', 'index.js'))) return 'emulator/dist is not built (npm run build -w emulator)';
  if (!existsSync(join(root, 'stack', 'dist', 'index.js'))) return 'stack/dist is not built (npm run build -w stack)';
  if (!existsSync(join(FUNCTIONS_DIR, 'lib', 'index.js'))) return 'functions/lib/index.js is not built (npm run build -w functions)';
  if (!existsSync(join(root, 'provisioning', 'dist', 'index.js'))) return 'provisioning/dist is not built (npm run build -w provisioning)';
  return null;
}

/** What the tests need of the database emulator, in-process or a child process. */
export interface DatabaseServer {
  url: string;
  hostPort: string;
  /** Fault injection (in-process only): stop listening for `downMs`, keeping the data. */
  restart(downMs?: number): Promise<void>;
  /** CPU time used so far by a separate emulator process and its worker (Linux /proc). */
  cpuMs?(): number | null;
}

export interface Stack {
  local: LocalStack;
  db: DatabaseServer;
  auth: { hostAndPort: string };
  config(overrides?: Partial<ConnectionConfig>): ConnectionConfig;
  provision(deviceId: string, owner?: string): Promise<ProvisionedDevice>;
  /** Admin REST read of the default namespace. */
  read(path: string): Promise<unknown>;
  /** Waits until the functions host has nothing in flight. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export interface StackOptions {
  /** Run the emulator as its own process, so it does not share this event loop. */
  separateProcess?: boolean;
  strictTokens?: boolean;
  tokenMaxAgeSeconds?: number;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const local = await startLocalStack({
    processes: options.separateProcess ? 'child' : 'in-process',
    ...(options.strictTokens ? { strictTokens: true } : {}),
    ...(options.tokenMaxAgeSeconds !== undefined ? { tokenMaxAgeSeconds: options.tokenMaxAgeSeconds } : {}),
  });
  const config = (overrides: Partial<ConnectionConfig> = {}): ConnectionConfig => ({
    ...CONNECTION_DEFAULTS,
    project: PROJECT,
    databaseEmulatorHost: local.hosts.database,
    authEmulatorHost: local.hosts.auth,
    requestTimeoutMs: 5_000,
    backoffBaseMs: 100,
    backoffMaxMs: 1_000,
    ...overrides,
  });
  const provisioner = await openProvisioner(config());
  const databasePid = local.services().find((s) => s.name === 'database')?.pid;
  return {
    local,
    db: {
      url: local.urls.database,
      hostPort: local.hosts.database,
      restart: (downMs) => (local.emulator ? local.emulator.restart(downMs) : Promise.reject(new Error('restart() needs the in-process emulator'))),
      ...(databasePid !== undefined ? { cpuMs: () => treeCpuMs(databasePid) } : {}),
    },
    auth: { hostAndPort: local.hosts.auth },
    config,
    provision: (deviceId, owner = 'owner-1') => provisioner.provisionOrRotate({ deviceId, ownerUid: owner }),
    async read(path) {
      const res = await fetch(`${local.urls.database}/${path}.json?ns=${NAMESPACE}`, { headers: { authorization: 'Bearer owner' } });
      return (await res.json()) as unknown;
    },
    idle: () => local.functionsIdle(),
    async stop() {
      await provisioner.close();
      await local.stop();
    },
  };
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `device-sim-${prefix}-`));
}
