import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Database } from '../tree/database.js';
import { exportJson } from '../tree/node.js';
import { writeSnapshotFile } from './snapshot-file.js';

const ctx = { nowMs: 1000 };
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'snapshot-file-'));
  dirs.push(dir);
  return join(dir, 'snapshot.json');
}

type Op = [string[], unknown];
function apply(db: Database, [path, json]: Op): void {
  db.commit(db.prepareSet(path, json, ctx));
}

interface Parsed {
  format: number;
  generation: number;
  namespaces: Record<string, unknown>;
  pendingEvents: unknown[];
}

describe('writeSnapshotFile', () => {
  it('writes what exportJson gives, priorities and awkward keys included', async () => {
    const db = new Database();
    apply(db, [[], { a: { '.priority': 3, x: 1, 'q"uote': 'va"l\n', 'ünï': true }, b: { '.value': 'leaf', '.priority': 'p' }, n: { '0': 0, '1': -1.5 } }]);
    apply(db, [['__proto__'], { deep: { er: { est: 'x' } } }]);
    const file = tempFile();
    const bytes = await writeSnapshotFile(file, { format: 1, generation: 7, namespaces: [['ns1', db.read([])], ['empty', null]], pendingEvents: [{ id: 'e1' }] });
    const text = readFileSync(file, 'utf8');
    expect(bytes).toBe(text.length);
    const parsed = JSON.parse(text) as Parsed;
    expect(parsed.format).toBe(1);
    expect(parsed.generation).toBe(7);
    expect(parsed.pendingEvents).toEqual([{ id: 'e1' }]);
    expect(Object.keys(parsed.namespaces)).toEqual(['ns1']);
    expect(parsed.namespaces['ns1']).toEqual(exportJson(db.read([])));
    expect(Object.keys(parsed.namespaces['ns1'] as object)).toContain('__proto__');
  });

  it('stays exact after replaying the writes made while it walked, sliced to the minimum', async () => {
    const db = new Database();
    const devices: Record<string, unknown> = {};
    for (let d = 0; d < 40; d++) {
      const readings: Record<string, unknown> = {};
      for (let r = 0; r < 200; r++) readings[`r${String(r).padStart(4, '0')}`] = { ir: r, seq: r };
      devices[`d${String(d).padStart(2, '0')}`] = { readings, state: { seq: 199, angle: 10 } };
    }
    apply(db, [['devices'], devices]);
    const before = exportJson(db.read([]));

    // Writes land between the walk's slices: new readings, deletes of visited and unvisited
    // locations, subtrees replaced by leaves and leaves by subtrees.
    const journal: Op[] = [];
    let step = 0;
    let walking = true;
    const pad = (n: number, width: number): string => String(n).padStart(width, '0');
    const writeMeanwhile = (): void => {
      if (!walking || step >= 60) return;
      const d = `d${pad(10 + (step % 30), 2)}`;
      const ops: Op[] = [
        [['devices', d, 'readings', `z${step}`], { ir: step, seq: 1000 + step }],
        [['devices', `d${pad(10 + ((step * 11) % 30), 2)}`, 'readings', `r${pad((step * 37) % 200, 4)}`], null],
        [['devices', d, 'state'], step % 2 === 0 ? { seq: 1000 + step, angle: step % 180 } : 'replaced'],
      ];
      // Whole devices go or come back only among the first ten; the rest keep most of their readings.
      if (step % 3 === 0) ops.push([['devices', `d${pad((step / 3) % 10, 2)}`], step % 2 === 0 ? null : { state: { seq: step } }]);
      for (const op of ops) {
        apply(db, op);
        journal.push(op);
      }
      step++;
      setImmediate(writeMeanwhile);
    };
    setImmediate(writeMeanwhile);
    const file = tempFile();
    await writeSnapshotFile(file, { format: 1, generation: 1, namespaces: [['ns', db.read([])]], pendingEvents: [] }, 0);
    walking = false;
    expect(step).toBeGreaterThan(20);

    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Parsed;
    // Fuzzy: neither the data at the start nor at the end...
    expect(parsed.namespaces['ns']).not.toEqual(before);
    const restored = new Database();
    apply(restored, [[], parsed.namespaces['ns']]);
    for (const op of journal) apply(restored, op);
    // ...but the replayed journal makes it exact.
    expect(exportJson(restored.read([]))).toEqual(exportJson(db.read([])));
  });
});
