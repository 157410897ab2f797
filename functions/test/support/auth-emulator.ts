// Starts the firebase-tools Auth emulator (it needs no Java) on free ports, for tests that need
// real accounts: sign-in with email + password, custom claims in ID tokens.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port.js';

/** The firebase-tools binary of the nearest node_modules above this file (the workspace root's). */
function findFirebaseBin(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'node_modules', '.bin', 'firebase');
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) {
      throw new Error('startAuthEmulator: firebase-tools not found in any node_modules/.bin; run npm install at the repo root');
    }
    dir = parent;
  }
}

export interface AuthEmulator {
  host: string;
  port: number;
  /** `host:port`, the value of FIREBASE_AUTH_EMULATOR_HOST. */
  hostAndPort: string;
  stop(): Promise<void>;
}

export interface AuthEmulatorOptions {
  projectId?: string;
  /** How long to wait for the emulator to answer (firebase-tools takes a few seconds). */
  startTimeoutMs?: number;
}

async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(1_000) });
    await res.arrayBuffer();
    return true;
  } catch {
    return false;
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    // Negative pid: the whole process group (firebase-tools spawns its own children).
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

export async function startAuthEmulator(options: AuthEmulatorOptions = {}): Promise<AuthEmulator> {
  const projectId = options.projectId ?? 'demo-firelink';
  if (!projectId.startsWith('demo-')) {
    throw new Error(`startAuthEmulator: projectId must start with "demo-" so nothing reaches Google (got ${projectId})`);
  }
  const host = '127.0.0.1';
  const [port, hubPort, loggingPort] = [await freePort(), await freePort(), await freePort()];
  const dir = mkdtempSync(join(tmpdir(), 'firelink-auth-'));
  writeFileSync(
    join(dir, 'firebase.json'),
    JSON.stringify({
      emulators: {
        auth: { host, port },
        hub: { host, port: hubPort },
        logging: { host, port: loggingPort },
        ui: { enabled: false },
        singleProjectMode: true,
      },
    }),
  );
  const output: string[] = [];
  const child = spawn(findFirebaseBin(), ['emulators:start', '--only', 'auth', '--project', projectId], {
    cwd: dir,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CI: 'true', FIREBASE_CLI_DISABLE_UPDATE_CHECK: 'true' },
  });
  const keep = (chunk: Buffer): void => {
    output.push(chunk.toString());
    if (output.length > 200) output.shift();
  };
  let gone = false;
  const exited = new Promise<void>((resolve) => {
    const done = (): void => {
      gone = true;
      resolve();
    };
    child.once('exit', done);
    child.once('error', (err) => {
      output.push(`spawn error: ${err.message}\n`);
      done();
    });
  });
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);

  const stop = async (): Promise<void> => {
    killGroup(child, 'SIGTERM');
    const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
    rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  while (!(await answers(`http://${host}:${port}/`))) {
    if (gone || Date.now() > deadline) {
      await stop();
      throw new Error(
        `Auth emulator did not answer on ${host}:${port} (exit ${child.exitCode}). Output:\n${output.join('')}`,
      );
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { host, port, hostAndPort: `${host}:${port}`, stop };
}
