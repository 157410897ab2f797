// Durable mode (--data-dir) in-process: acknowledged writes survive a stop without compaction
// (the journal alone) and with it (the snapshot), a torn last record is dropped with a warning,
// and a corrupt record before the last stops the start naming the file. The crash test with a
// real SIGKILL is durable-kill.test.ts.
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmulator, StartupError } from '../src/index.js';

const put = (url: string, body: unknown): Promise<Response> => fetch(url, { method: 'PUT', body: JSON.stringify(body) });

const dirs: string[] = [];
function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rtdb-durable-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('durable mode', () => {
  it('restores data from the snapshot and the journal, with priorities and server values resolved', async () => {
    const dir = freshDir();
    const lines: string[] = [];
    const first = await startEmulator({ port: 0, dataDir: dir, log: (l) => lines.push(l) });
    await put(`${first.url}/a.json?ns=n1`, { x: 1, y: { '.value': 'p', '.priority': 3 } });
    await fetch(`${first.url}/a.json?ns=n1`, { method: 'PATCH', body: JSON.stringify({ z: { '.sv': 'timestamp' }, x: null }) });
    await put(`${first.url}/b.json?ns=n2`, 'two');
    const expected = first.exportData('n1');
    await first.stop(); // compacts into a snapshot
    expect(readdirSync(dir).sort()).toEqual(['journal-1.log', 'snapshot.json']); // the lock is released
    expect(readFileSync(join(dir, 'journal-1.log'), 'utf8')).toBe('');
    const second = await startEmulator({ port: 0, dataDir: dir, log: () => {} });
    try {
      expect(second.exportData('n1')).toEqual(expected);
      expect(second.exportData('n2')).toEqual({ b: 'two' });
      // Writes after a restart land in the journal and come back too.
      await put(`${second.url}/c.json?ns=n1`, 3);
    } finally {
      await second.stop();
    }
    const third = await startEmulator({ port: 0, dataDir: dir, log: () => {} });
    try {
      expect(third.exportData('n1')).toEqual({ ...(expected as object), c: 3 });
    } finally {
      await third.stop();
    }
  });

  it('journalFsync acknowledges after fdatasync and restores the same way', async () => {
    const dir = freshDir();
    const first = await startEmulator({ port: 0, dataDir: dir, journalFsync: true, log: () => {} });
    expect(first.config.journalFsync).toBe(true);
    await Promise.all(Array.from({ length: 20 }, (_, i) => put(`${first.url}/f/${i}.json?ns=n`, i)));
    // Without compaction: the journal alone must hold the writes.
    await first.stop();
    const again = await startEmulator({ port: 0, dataDir: dir, log: () => {} });
    try {
      expect(again.exportData('n')).toEqual({ f: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [String(i), i])) });
    } finally {
      await again.stop();
    }
  });

  it('drops a torn last record with a warning and keeps every complete one', async () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'journal-0.log'), '{"w":"n","o":[[["a"],1]],"t":0}\n{"w":"n","o":[[["b"],2]],"t":0}\n{"w":"n","o":[[["c"],');
    const lines: string[] = [];
    const emu = await startEmulator({ port: 0, dataDir: dir, log: (l) => lines.push(l) });
    try {
      expect(emu.exportData('n')).toEqual({ a: 1, b: 2 });
      expect(lines.some((l) => l.includes('journal-torn-record') && l.includes('droppedBytes=21'))).toBe(true);
      // The torn bytes were cut: the next record starts on a clean line.
      await put(`${emu.url}/d.json?ns=n`, 4);
    } finally {
      await emu.stop();
    }
    const again = await startEmulator({ port: 0, dataDir: dir, log: () => {} });
    try {
      expect(again.exportData('n')).toEqual({ a: 1, b: 2, d: 4 });
    } finally {
      await again.stop();
    }
  });

  it('a corrupt record before the last stops the start with a typed error naming the journal', async () => {
    const dir = freshDir();
    const journal = join(dir, 'journal-0.log');
    writeFileSync(journal, '{"w":"n","o":[[["a"],1]],"t":0}\nnot json\n');
    appendFileSync(journal, '{"w":"n","o":[[["b"],2]],"t":0}\n');
    const error = await startEmulator({ port: 0, dataDir: dir, log: () => {} }).then(
      async (emu) => {
        await emu.stop();
        return null;
      },
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StartupError);
    expect(error).toMatchObject({ code: 'data_dir', file: journal });
    expect((error as Error).message).toContain('journal record 2 is corrupt');
  });

  it('one data directory serves one emulator at a time; a lock left by a crashed process is taken over', async () => {
    const dir = freshDir();
    const first = await startEmulator({ port: 0, dataDir: dir, log: () => {} });
    try {
      const error = await startEmulator({ port: 0, dataDir: dir, log: () => {} }).then(
        async (emu) => {
          await emu.stop();
          return null;
        },
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ code: 'data_dir', file: dir });
      expect((error as Error).message).toContain('is already open in this process');
    } finally {
      await first.stop();
    }
    // A pid that is not running (a crash): the next start takes the directory over.
    writeFileSync(join(dir, 'lock'), '2147483646');
    const again = await startEmulator({ port: 0, dataDir: dir, log: () => {} });
    await again.stop();
    expect(readdirSync(dir)).not.toContain('lock');
  });

  it('compacts in the background once the journal passes journalCompactBytes', async () => {
    const dir = freshDir();
    const lines: string[] = [];
    const emu = await startEmulator({ port: 0, dataDir: dir, journalCompactBytes: 2_000, log: (l) => lines.push(l) });
    try {
      for (let i = 0; i < 40; i++) await put(`${emu.url}/r/${i}.json?ns=n`, { value: i, pad: 'x'.repeat(50) });
      expect(lines.some((l) => l.includes('journal-compacted'))).toBe(true);
    } finally {
      await emu.stop();
    }
    const again = await startEmulator({ port: 0, dataDir: dir, log: () => {} });
    try {
      expect(Object.keys((again.exportData('n') as { r: object }).r)).toHaveLength(40);
    } finally {
      await again.stop();
    }
  });
});
