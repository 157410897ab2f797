// The emulator CLI as its own process on a FIXED port, so a test can stop it (SIGTERM writes
// `--export`) or kill it (SIGKILL writes nothing) and start a new process on the same port with
// `--import` of the last export (emulator/src/cli.ts wires SIGTERM/SIGINT to stop(), which exports).
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FUNCTIONS_DIR, NAMESPACE, PROJECT, RULES_FILE, eventually } from './stack.js';

const ORPHAN_GRACE_MS = 2_000;
const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'emulator', 'dist', 'cli.js');

export interface EmulatorProcessOptions {
  port: number;
  authHostPort: string;
  importFile?: string;
  exportFile?: string;
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Descendants (the functions worker) still alive after the emulator exited; we killed them. */
  orphans: number[];
  output: string;
}

export class EmulatorProcess {
  readonly url: string;
  readonly hostPort: string;
  private output = '';
  private readonly exited: Promise<ExitInfo>;
  private descendants: number[] = [];
  /** Date.now() as the process is spawned: an answer received earlier came from another process. */
  readonly spawnedMs = Date.now();
  /** Date.now() once it first answered REST (set by start()). */
  answeredMs = 0;
  /** Date.now() once the functions host reported its triggers (set by start()). */
  functionsReadyMs = 0;

  private constructor(
    private readonly child: ChildProcess,
    readonly options: EmulatorProcessOptions,
  ) {
    this.url = `http://127.0.0.1:${options.port}`;
    this.hostPort = `127.0.0.1:${options.port}`;
    child.stderr?.on('data', (c: Buffer) => {
      this.output = (this.output + c.toString()).slice(-8_000);
    });
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        // The worker exits by itself when its IPC channel closes (emulator/src/functions/worker.ts);
        // give it a moment, then kill (and report) whatever is still alive.
        void waitGone(this.descendants, ORPHAN_GRACE_MS).then((orphans) => {
          for (const pid of orphans) killQuietly(pid);
          resolve({ code, signal, orphans, output: this.output });
        });
      }),
    );
  }

  /** Starts `node emulator/dist/cli.js` and resolves once it answers REST on its port. */
  static async start(options: EmulatorProcessOptions): Promise<EmulatorProcess> {
    const args = [CLI, '--port', String(options.port), '--project', PROJECT, '--rules', RULES_FILE, '--functions', FUNCTIONS_DIR, '--auth-emulator-host', options.authHostPort];
    if (options.importFile !== undefined) args.push('--import', options.importFile);
    if (options.exportFile !== undefined) args.push('--export', options.exportFile);
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, GCLOUD_PROJECT: PROJECT } });
    const emulator = new EmulatorProcess(child, options);
    try {
      await eventually(
        `the emulator process on port ${options.port}`,
        async () => {
          if (child.exitCode !== null) throw new Error(`emulator exited ${child.exitCode}: ${emulator.output}`);
          const res = await fetch(`${emulator.url}/.json?ns=${NAMESPACE}&shallow=true`, { headers: { authorization: 'Bearer owner' } });
          await res.arrayBuffer();
          emulator.answeredMs = Date.now();
          return true;
        },
        30_000,
      );
      // The functions host forks its worker at start; wait until triggers can run.
      await eventually('the functions host to load', async () => ((await emulator.functionsLoaded()) ? true : undefined), 30_000);
      emulator.functionsReadyMs = Date.now();
    } catch (error) {
      await emulator.kill();
      throw new Error(`${String(error)}\nemulator output:\n${emulator.output}`, { cause: error });
    }
    return emulator;
  }

  /** The tail of its stderr (log lines), for failure messages and figures. */
  get recentOutput(): string {
    return this.output;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** SIGTERM: the emulator stops its functions host, closes its port and writes `--export`. */
  terminate(timeoutMs = 15_000): Promise<ExitInfo> {
    return this.signal('SIGTERM', timeoutMs);
  }

  /** SIGKILL: the process dies at once; whatever it held since the last export is gone. */
  kill(): Promise<ExitInfo> {
    return this.signal('SIGKILL', 5_000);
  }

  /** Admin REST read of the default namespace. */
  async read(path: string): Promise<unknown> {
    const res = await fetch(`${this.url}/${path}.json?ns=${NAMESPACE}`, { headers: { authorization: 'Bearer owner' } });
    return (await res.json()) as unknown;
  }

  /** Waits until the functions host has nothing in flight (POST /.functions/idle). */
  async idle(): Promise<void> {
    await fetch(`${this.url}/.functions/idle`, { method: 'POST' })
      .then((r) => r.arrayBuffer())
      .catch(() => {});
  }

  private async functionsLoaded(): Promise<boolean> {
    const res = await fetch(`${this.url}/.functions/status`).catch(() => null);
    if (res === null) return false;
    if (!res.ok) {
      await res.arrayBuffer();
      return false;
    }
    const status = (await res.json()) as { triggers?: unknown[]; loadError?: string | null };
    if (status.loadError) throw new Error(`functions failed to load: ${status.loadError}`);
    return (status.triggers?.length ?? 0) > 0;
  }

  private async signal(signal: NodeJS.Signals, timeoutMs: number): Promise<ExitInfo> {
    // Remember the worker before the parent goes: a SIGKILLed parent cannot stop it.
    this.descendants = descendantsOf(this.child.pid);
    if (this.running) this.child.kill(signal);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    const info = await this.exited;
    clearTimeout(timer);
    return info;
  }
}

/** Child pids (recursively) of a Linux process, from /proc. */
function descendantsOf(pid: number | undefined): number[] {
  if (pid === undefined) return [];
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    return children.flatMap((c) => [c, ...descendantsOf(c)]);
  } catch {
    return [];
  }
}

async function waitGone(pids: number[], graceMs: number): Promise<number[]> {
  const deadline = Date.now() + graceMs;
  while (pids.some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  return pids.filter(alive);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}
