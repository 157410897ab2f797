// Our RTDB emulator (emulator/, no Java) with the repository's rules and, on request, the functions
// host: in this process (tests that want the emulator's commit stream) or as its own child process
// (like `npm start`, so a test's event loop does not share time with the server).
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { startEmulator, type RunningEmulator } from '@firelink/emulator';
import { spawnService, type ServiceProcess } from './child.js';
import { GiveUp, eventually } from './eventually.js';
import { functionsStatus } from './functions-calls.js';
import { dialHost } from './hosts.js';

export interface DatabaseOptions {
  mode: 'child' | 'in-process';
  host: string;
  port: number;
  projectId: string;
  namespace: string;
  rulesFile: string;
  /** The functions package to host, or null for none. */
  functionsDir: string | null;
  authEmulatorHost: string;
  /** Durable data folder, or undefined for memory only. */
  dataDir?: string | undefined;
  /** Export-format JSON to load at start instead of the data folder's (restarts of a memory-only database). */
  importFile?: string | undefined;
  strictTokens?: boolean;
  tokenMaxAgeSeconds?: number;
  /** False: no line per successful function invocation (the emulator's --no-invocation-log). */
  logInvocations?: boolean;
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
  startTimeoutMs?: number;
}

export interface DatabaseService {
  /** `http://host:port` as a local client dials it. */
  readonly url: string;
  readonly hostPort: string;
  /** The running emulator object (in-process mode only): commits, exportData, dropConnections. */
  readonly emulator: RunningEmulator | null;
  /** The child process (child mode only). */
  readonly process: ServiceProcess | null;
  stop(): Promise<void>;
}

function emulatorCli(): string {
  // The package's main is dist/index.js; its CLI sits beside it.
  return join(dirname(createRequire(import.meta.url).resolve('@firelink/emulator')), 'cli.js');
}

async function answers(url: string, namespace: string): Promise<boolean> {
  const res = await fetch(`${url}/.json?ns=${namespace}&shallow=true`, {
    headers: { authorization: 'Bearer owner' },
    signal: AbortSignal.timeout(2_000),
  });
  await res.arrayBuffer();
  return res.ok;
}

/** Waits until the emulator answers REST and, when it hosts functions, has loaded its triggers. */
async function waitReady(url: string, options: DatabaseOptions, alive: () => string | null): Promise<void> {
  const timeoutMs = options.startTimeoutMs ?? 60_000;
  await eventually(`the RTDB emulator on ${url}`, async () => {
    const gone = alive();
    if (gone !== null) throw new GiveUp(gone);
    return answers(url, options.namespace);
  }, { timeoutMs, intervalMs: 100 });
  if (options.functionsDir === null) return;
  await eventually(`the functions host on ${url} to load its triggers`, async () => {
    const gone = alive();
    if (gone !== null) throw new GiveUp(gone);
    const status = await functionsStatus(url);
    if (status?.loadError) throw new Error(`the functions failed to load: ${status.loadError}`);
    return (status?.triggers.length ?? 0) > 0;
  }, { timeoutMs, intervalMs: 100 });
}

export async function startDatabase(options: DatabaseOptions): Promise<DatabaseService> {
  // Durable mode (emulator/README.md, --data-dir): every write journaled before it is acknowledged,
  // restored at start, so even a crash keeps the data.
  const dataDir = options.dataDir ?? null;
  if (dataDir !== null) mkdirSync(dataDir, { recursive: true });
  const importFile = options.importFile ?? null;
  const url = `http://${dialHost(options.host)}:${options.port}`;

  if (options.mode === 'in-process') {
    const emulator = await startEmulator({
      host: options.host,
      port: options.port,
      projectId: options.projectId,
      namespace: options.namespace,
      rules: options.rulesFile,
      authEmulatorHost: options.authEmulatorHost,
      log: options.log,
      ...(options.functionsDir !== null ? { functions: options.functionsDir } : {}),
      ...(importFile !== null ? { import: importFile } : {}),
      ...(dataDir !== null ? { dataDir } : {}),
      ...(options.strictTokens ? { strictTokens: true } : {}),
      ...(options.tokenMaxAgeSeconds !== undefined ? { tokenMaxAgeSeconds: options.tokenMaxAgeSeconds } : {}),
      ...(options.logInvocations === false ? { logInvocations: false } : {}),
    });
    const localUrl = `http://${dialHost(emulator.host)}:${emulator.port}`;
    try {
      await waitReady(localUrl, options, () => null);
    } catch (error) {
      await emulator.stop();
      throw error;
    }
    return { url: localUrl, hostPort: `${dialHost(emulator.host)}:${emulator.port}`, emulator, process: null, stop: () => emulator.stop() };
  }

  const args = [
    emulatorCli(),
    '--host', options.host,
    '--port', String(options.port),
    '--project', options.projectId,
    '--rules', options.rulesFile,
    '--auth-emulator-host', options.authEmulatorHost,
  ];
  if (options.functionsDir !== null) args.push('--functions', options.functionsDir);
  if (importFile !== null) args.push('--import', importFile);
  if (dataDir !== null) args.push('--data-dir', dataDir);
  if (options.strictTokens) args.push('--strict-tokens');
  if (options.tokenMaxAgeSeconds !== undefined) args.push('--token-max-age-seconds', String(options.tokenMaxAgeSeconds));
  if (options.logInvocations === false) args.push('--no-invocation-log');
  const child = spawnService({
    name: 'database',
    command: process.execPath,
    args,
    cwd: tmpdir(),
    env: { ...options.env, GCLOUD_PROJECT: options.projectId },
    onLine: options.log,
  });
  try {
    await waitReady(url, options, () => (child.running() ? null : `the RTDB emulator exited:\n${child.recentOutput()}`));
  } catch (error) {
    await child.stop('SIGKILL');
    throw new Error(`${(error as Error).message}\nRTDB emulator output:\n${child.recentOutput()}`, { cause: error });
  }
  return {
    url,
    hostPort: `${dialHost(options.host)}:${options.port}`,
    emulator: null,
    process: child,
    async stop() {
      // SIGTERM: queued triggers finish, the port closes, the functions host stops, the data folder is compacted.
      await child.stop('SIGTERM', 20_000);
    },
  };
}
