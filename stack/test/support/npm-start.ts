// `npm start` (scripts/start.mjs) as a child process, the way a user runs it, with its output
// collected so tests can wait for lines.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../src/config.js';
import { eventually } from '../../src/eventually.js';

export interface NpmStart {
  pid: number;
  output(): string;
  /** Waits for a line matching `pattern` and returns the whole output so far. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  interrupt(): void;
  exited: Promise<number | null>;
}

export function npmStart(args: string[], env: NodeJS.ProcessEnv = {}): NpmStart {
  const child = spawn(process.execPath, [join(REPO_ROOT, 'scripts', 'start.mjs'), ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let done = false;
  void exited.then(() => (done = true));
  return {
    pid: child.pid!,
    output: () => output,
    async waitFor(pattern, timeoutMs = 240_000) {
      await eventually(`npm start to print ${pattern}`, () => {
        if (pattern.test(output)) return true;
        if (done) throw new Error(`npm start exited; output:\n${output}`);
        return undefined;
      }, { timeoutMs, intervalMs: 100 });
      return output;
    },
    interrupt: () => child.kill('SIGINT'),
    exited,
  };
}

/** Processes whose command line mentions `marker` (a test's unique data folder). */
export function processesMentioning(marker: string): number[] {
  const found: number[] = [];
  for (const pid of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker)) found.push(Number(pid));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}
