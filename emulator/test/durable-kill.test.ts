// Durable mode against a real crash: the emulator runs as its own process with --data-dir and a
// functions package, takes REST writes from several concurrent writers, and gets SIGKILL in the
// middle of the load. After a restart on the same directory every acknowledged write is there,
// and every stored reading is mapped by its trigger exactly once (events pending at the crash
// are re-delivered; the handler is idempotent, as delivery is at-least-once).
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { waitFunctionsIdleRemote } from '../src/functions/remote.js';
import { startEmulator, StartupError } from '../src/index.js';

const emulatorDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(emulatorDir, 'dist', 'cli.js');
const fixture = join(emulatorDir, 'test', 'fixtures', 'functions', 'readings');
const NS = 'demo-kill-default-rtdb';

/** Newest modification time under a folder (ms). */
function newest(dir: string): number {
  let max = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) max = Math.max(max, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return max;
}

beforeAll(() => {
  // The crash needs the compiled CLI in its own process; build it when the sources are newer.
  let built: number;
  try {
    built = statSync(cli).mtimeMs;
  } catch {
    built = 0;
  }
  if (built < newest(join(emulatorDir, 'src'))) execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: emulatorDir });
}, 120_000);

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/** Starts the CLI and resolves with its URL once it prints the ready line. */
function startChild(dataDir: string): Promise<{ child: ChildProcess; url: string; output: string[] }> {
  const child = spawn(process.execPath, [cli, '--port', '0', '--data-dir', dataDir, '--functions', fixture, '--project', 'demo-kill'], {
    env: { ...process.env, RTDB_EMULATOR_SCHEDULES: 'manual' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const output: string[] = [];
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output.push(chunk.toString());
      const match = /ready url=(\S+)/.exec(output.join(''));
      if (match) resolve({ child, url: match[1]!, output });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`emulator exited (${code}) before ready:\n${output.join('')}`)));
  });
}

const getJson = async (url: string): Promise<unknown> => (await fetch(url)).json();

describe('durable mode survives SIGKILL', () => {
  it('keeps every acknowledged write and maps every stored reading exactly once', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'rtdb-kill-'));
    const first = await startChild(dataDir);
    // While it runs, no second emulator may open the directory.
    const refused = await startEmulator({ port: 0, dataDir, log: () => {} }).then(
      async (emu) => {
        await emu.stop();
        return null;
      },
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(StartupError);
    expect((refused as Error).message).toContain(`is in use by another emulator (process ${first.child.pid})`);
    const acked = new Set<string>();
    let sent = 0;
    let killed = false;
    const writer = async (w: number): Promise<void> => {
      for (let i = 0; !killed; i++) {
        const id = `w${w}-${String(i).padStart(5, '0')}`;
        sent++;
        try {
          const res = await fetch(`${first.url}/readings/${id}.json?ns=${NS}`, { method: 'PUT', body: JSON.stringify({ v: i, w }) });
          if (res.ok) acked.add(id);
        } catch {
          return; // the process is gone: this write was never acknowledged
        }
      }
    };
    const writers = Array.from({ length: 8 }, (_, w) => writer(w));
    // Kill once a good number of writes are acknowledged and their events are in flight.
    while (acked.size < 300) await new Promise((r) => setTimeout(r, 5));
    first.child.kill('SIGKILL');
    killed = true;
    await Promise.all(writers);
    await new Promise<void>((resolve) => (first.child.exitCode !== null || first.child.signalCode !== null ? resolve() : first.child.once('exit', () => resolve())));

    const second = await startChild(dataDir);
    await waitFunctionsIdleRemote(second.url, 60_000);
    // Events pending at the crash (the handler is slower than the writers) were delivered again.
    const redelivering = /re-delivering (\d+) event/.exec(second.output.join(''));
    expect(redelivering, 'the restart re-delivers pending events').not.toBeNull();
    expect(Number(redelivering![1])).toBeGreaterThan(0);
    const readings = ((await getJson(`${second.url}/readings.json?ns=${NS}&shallow=true`)) ?? {}) as Record<string, true>;
    const mapped = ((await getJson(`${second.url}/mapped.json?ns=${NS}`)) ?? {}) as Record<string, { v: number }>;
    const redelivered = ((await getJson(`${second.url}/redelivered.json?ns=${NS}`)) ?? {}) as Record<string, number>;
    const lostAcked = [...acked].filter((id) => readings[id] !== true);
    const unmapped = Object.keys(readings).filter((id) => mapped[id] === undefined);
    const mappedWithoutReading = Object.keys(mapped).filter((id) => readings[id] !== true);
    console.log(
      `[durable-kill] sent ${sent}, acknowledged ${acked.size}, stored after restart ${Object.keys(readings).length}, ` +
        `mapped ${Object.keys(mapped).length}, pending at the crash ${redelivering![1]}, re-delivered after completion (idempotent no-ops) ${Object.keys(redelivered).length}`,
    );
    expect(lostAcked).toEqual([]);
    expect(unmapped).toEqual([]);
    expect(mappedWithoutReading).toEqual([]);
    for (const id of acked) expect(mapped[id]!.v).toBe(Number(id.split('-')[1]));
    second.child.kill('SIGTERM');
    await new Promise<void>((resolve) => second.child.once('exit', () => resolve()));
    rmSync(dataDir, { recursive: true, force: true });
  });
});
