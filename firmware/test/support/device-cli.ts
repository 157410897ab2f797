// Runs build/firelink-device as a child process (never spawnSync: the in-process emulator shares
// this event loop) and collects its JSON event lines as they arrive.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIRMWARE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DEVICE_BIN = join(FIRMWARE_DIR, 'build', 'firelink-device');

/** Builds the host binary with make; returns why it cannot, or null. */
export function buildDevice(): string | null {
  const gxx = spawnSync('g++', ['--version'], { encoding: 'utf8' });
  if (gxx.error || gxx.status !== 0) return 'g++ is not installed (apt-get install g++ make)';
  const make = spawnSync('make', ['-s', '-C', FIRMWARE_DIR, 'build/firelink-device'], { encoding: 'utf8' });
  if (make.error || make.status !== 0) throw new Error(`make build/firelink-device failed:\n${make.stdout}${make.stderr}`);
  if (!existsSync(DEVICE_BIN)) throw new Error(`make did not produce ${DEVICE_BIN}`);
  return null;
}

export type DeviceEvent = { event: string } & Record<string, unknown>;

export interface DeviceRun {
  events: DeviceEvent[];
  stderr(): string;
  /** Resolves with the exit code. */
  exited: Promise<number>;
  /** Resolves once an event satisfies `predicate` (rejects if the process exits first). */
  waitFor(what: string, predicate: (e: DeviceEvent, all: DeviceEvent[]) => boolean, timeoutMs?: number): Promise<DeviceEvent>;
  kill(signal?: NodeJS.Signals): void;
}

/** Every device process still running, so a failed or timed-out test leaves none behind. */
const running = new Set<ReturnType<typeof spawn>>();
process.once('exit', () => stopAllDevices());

/** Kills every device process this file started that is still running. */
export function stopAllDevices(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

export function startDevice(args: string[]): DeviceRun {
  const child = spawn(DEVICE_BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  const events: DeviceEvent[] = [];
  let stderr = '';
  let partial = '';
  const waiters = new Set<() => void>();
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.trim()) continue;
      try {
        events.push(JSON.parse(line) as DeviceEvent);
      } catch {
        throw new Error(`firelink-device printed a line that is not JSON: ${line}`);
      }
    }
    for (const w of waiters) w();
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (c: string) => {
    stderr += c;
  });
  let code: number | null = null;
  const exited = new Promise<number>((resolve) => {
    // A binary that cannot start (missing, not executable) ends the run at once, with the reason.
    child.on('error', (error) => {
      running.delete(child);
      stderr += `cannot run ${DEVICE_BIN}: ${error.message}`;
      code = 127;
      for (const w of waiters) w();
      resolve(code);
    });
    child.on('exit', (c, signal) => {
      running.delete(child);
      code = c ?? (signal ? 128 : 1);
      for (const w of waiters) w();
      resolve(code);
    });
  });
  return {
    events,
    stderr: () => stderr,
    exited,
    kill: (signal = 'SIGTERM') => {
      if (child.exitCode === null) child.kill(signal);
    },
    waitFor(what, predicate, timeoutMs = 30_000) {
      return new Promise<DeviceEvent>((resolve, reject) => {
        const check = () => {
          const found = events.find((e) => predicate(e, events));
          if (found) {
            done();
            resolve(found);
          } else if (code !== null) {
            done();
            reject(new Error(`firelink-device exited ${code} before ${what}; stderr: ${stderr}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`timed out waiting for ${what}; last events: ${JSON.stringify(events.slice(-5))}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
  };
}
