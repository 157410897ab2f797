// One service as a child process in its own process group (so Ctrl-C in a terminal reaches only
// the parent, which then stops the services in order, and a stop reaches grandchildren such as
// firebase-tools' own workers or the functions host's worker).
import { spawn, type ChildProcess } from 'node:child_process';

export interface ServiceProcess {
  readonly name: string;
  readonly pid: number | undefined;
  /** The last lines it printed (stdout and stderr), for error messages. */
  recentOutput(): string;
  running(): boolean;
  /** Resolves when the process has exited, with its code or signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends `signal` to the main process, SIGKILL to the group after `graceMs`; resolves once it exited. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface SpawnOptions {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Each complete output line. */
  onLine?: (line: string) => void;
}

const TAIL_LINES = 80;

/**
 * Services still running. When this process exits without stopping them (a test hook that timed
 * out while startStack was still starting, an uncaught error), they are killed with it instead of
 * living on detached in their own process groups.
 */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) killGroup(child, 'SIGKILL');
});

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

export function spawnService(options: SpawnOptions): ServiceProcess {
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tail: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    let pending = '';
    stream?.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (line.trim() === '') continue;
        tail.push(line);
        if (tail.length > TAIL_LINES) tail.shift();
        options.onLine?.(line);
      }
    });
  }
  let done = false;
  running.add(child);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      running.delete(child);
      done = true;
      resolve({ code, signal });
    });
    child.once('error', (error) => {
      tail.push(`cannot start ${options.command}: ${error.message}`);
      running.delete(child);
      done = true;
      resolve({ code: null, signal: null });
    });
  });
  return {
    name: options.name,
    pid: child.pid,
    recentOutput: () => tail.join('\n'),
    running: () => !done,
    exited,
    async stop(signal = 'SIGTERM', graceMs = 10_000) {
      // The signal goes to the service's main process only: it stops its own workers in order
      // (the RTDB emulator lets the functions worker finish queued triggers first). The rest of
      // the group is killed once the main process is gone, or with it after the grace period.
      if (!done) child.kill(signal);
      const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
      const result = await exited;
      clearTimeout(timer);
      // Whatever it left in its group (a worker that ignored the signal) goes too.
      killGroup(child, 'SIGKILL');
      return result;
    },
  };
}
