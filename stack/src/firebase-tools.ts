// The firebase-tools emulators we use (Auth, and Hosting for the dashboard): no Java needed. They
// read their ports from a firebase.json, so a small one is generated per start in a temp folder
// (ports free or as asked, hub and logging ports always free so two stacks never collide). Auth
// accounts persist through firebase-tools' own `--import` / `--export-on-exit` folder.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { spawnService, type ServiceProcess } from './child.js';
import { GiveUp, eventually } from './eventually.js';
import { freePort } from './free-port.js';
import { dialHost } from './hosts.js';

export interface FirebaseToolsOptions {
  projectId: string;
  host: string;
  authPort: number;
  /** Serve this folder with the Hosting emulator on `hostingPort` (single-page app rewrites). */
  hosting?: { port: number; publicDir: string } | undefined;
  /** Folder of a firebase-tools export: imported at start when present, written on a clean stop. */
  authDataDir?: string | undefined;
  env: NodeJS.ProcessEnv;
  onLine?: (line: string) => void;
  startTimeoutMs?: number;
}

export interface FirebaseToolsEmulators {
  process: ServiceProcess;
  stop(): Promise<void>;
}

/** firebase-tools' CLI entry (resolved through node, so it works however npm hoisted it). */
export function firebaseToolsCli(): string {
  return createRequire(import.meta.url).resolve('firebase-tools/lib/bin/firebase.js');
}

/** The Auth emulator's discovery document answers once it serves requests. */
async function authAnswers(host: string, port: number): Promise<boolean> {
  const res = await fetch(`http://${dialHost(host)}:${port}/`, { signal: AbortSignal.timeout(2_000) });
  const body = (await res.json().catch(() => null)) as { authEmulator?: { ready?: boolean } } | null;
  return body?.authEmulator?.ready === true;
}

async function hostingAnswers(host: string, port: number): Promise<boolean> {
  const res = await fetch(`http://${dialHost(host)}:${port}/`, { signal: AbortSignal.timeout(2_000) });
  await res.arrayBuffer();
  // 200 for `/` (index.html exists before start), so a wrong public folder fails the start.
  return res.ok;
}

export async function startFirebaseTools(options: FirebaseToolsOptions): Promise<FirebaseToolsEmulators> {
  const { host, projectId } = options;
  const dir = mkdtempSync(join(tmpdir(), 'firelink-firebase-tools-'));
  const emulators: Record<string, unknown> = {
    auth: { host, port: options.authPort },
    hub: { host: '127.0.0.1', port: await freePort() },
    logging: { host: '127.0.0.1', port: await freePort() },
    ui: { enabled: false },
    singleProjectMode: true,
  };
  const config: Record<string, unknown> = { emulators };
  const only = ['auth'];
  if (options.hosting) {
    emulators.hosting = { host, port: options.hosting.port };
    // firebase-tools resolves `public` against the config's folder and serves nothing (404 on every
    // path) when given an absolute path, so it gets a relative one.
    config.hosting = { public: relative(dir, options.hosting.publicDir), rewrites: [{ source: '**', destination: '/index.html' }] };
    only.push('hosting');
  }
  writeFileSync(join(dir, 'firebase.json'), JSON.stringify(config, null, 2));
  // --no-memory-reducer: after a burst (a fleet signing in) V8 shrinks the heap back with several
  // full collections once the process looks idle, seconds of CPU at once that the database and the
  // devices sharing the machine then wait for (v8 flag `memory_reducer`, src/heap/memory-reducer.h).
  const args = ['--no-memory-reducer', firebaseToolsCli(), 'emulators:start', '--only', only.join(','), '--project', projectId];
  if (options.authDataDir !== undefined) {
    mkdirSync(options.authDataDir, { recursive: true });
    if (existsSync(join(options.authDataDir, 'firebase-export-metadata.json'))) args.push('--import', options.authDataDir);
    args.push('--export-on-exit', options.authDataDir);
  }
  const child = spawnService({
    name: 'auth',
    command: process.execPath,
    args,
    cwd: dir,
    // TMPDIR: firebase-tools keeps a per-project hub locator in the temp folder (lib/emulator/hub.js);
    // a private one keeps parallel stacks of the same demo project from seeing each other.
    env: { ...options.env, CI: 'true', FIREBASE_CLI_DISABLE_UPDATE_CHECK: 'true', GCLOUD_PROJECT: projectId, TMPDIR: dir },
    ...(options.onLine ? { onLine: options.onLine } : {}),
  });
  const stop = async (): Promise<void> => {
    // SIGTERM: firebase-tools exports (--export-on-exit) and shuts its emulators down cleanly.
    await child.stop('SIGTERM', 15_000);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await eventually(
      `the Auth emulator on ${host}:${options.authPort}`,
      async () => {
        if (!child.running()) throw new GiveUp(`firebase-tools exited:\n${child.recentOutput()}`);
        return authAnswers(host, options.authPort);
      },
      { timeoutMs: options.startTimeoutMs ?? 90_000, intervalMs: 200 },
    );
    if (options.hosting) {
      const { port } = options.hosting;
      await eventually(`the Hosting emulator on ${host}:${port}`, async () => {
        if (!child.running()) throw new Error(`firebase-tools exited:\n${child.recentOutput()}`);
        return hostingAnswers(host, port);
      }, { timeoutMs: options.startTimeoutMs ?? 90_000, intervalMs: 200 });
    }
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\nfirebase-tools output:\n${child.recentOutput()}`, { cause: error });
  }
  return { process: child, stop };
}
