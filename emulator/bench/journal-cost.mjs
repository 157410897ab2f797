// CPU the journal adds per acknowledged write, measured in one process so that other jobs on the
// machine move both sides alike: N reading-sized writes through a namespace's write path (what a
// REST PUT runs after parsing), each waiting until its acknowledgement may be sent, once in
// memory and once with a data directory. One write per batch is the worst case (no group
// commit). Prints µs of CPU per write for both.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN } from '../dist/auth.js';
import { loadConfig } from '../dist/config.js';
import { EmulatorCore } from '../dist/core.js';
import { DataDir } from '../dist/durable/data-dir.js';
import { Logs } from '../dist/logs.js';

const N = Number(process.env.BENCH_JOURNAL_WRITES ?? 20_000);
const ROUNDS = 5;

async function measure(dir) {
  const core = new EmulatorCore(loadConfig({ port: 0 }), new Logs(() => {}));
  const dataDir = dir === null ? null : await DataDir.open(dir, core, core.logs, { compactBytes: 1 << 30, fsync: false });
  core.durability = dataDir;
  const ns = core.namespace('bench');
  const samples = [];
  let n = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const before = process.cpuUsage();
    for (let i = 0; i < N; i++, n++) {
      const value = { ir: n % 4096, temp: 21.5, seq: n, ts: 1_763_700_000_000 + n };
      ns.write(ADMIN.identity, ns.db.prepareSet(['devices', `d${n % 100}`, 'readings', `r${n}`], value, { nowMs: Date.now() }));
      await new Promise((resolve) => core.whenDurable(resolve));
    }
    const used = process.cpuUsage(before);
    samples.push((used.user + used.system) / N);
  }
  await dataDir?.closeWithoutCompaction();
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

const dir = mkdtempSync(join(tmpdir(), 'rtdb-journal-cost-'));
try {
  // Alternate, so load drifting during the run touches both sides.
  const memory = [];
  const durable = [];
  for (let i = 0; i < 2; i++) {
    memory.push(await measure(null));
    durable.push(await measure(join(dir, String(i))));
  }
  const m = Math.min(...memory);
  const d = Math.min(...durable);
  console.log(`journal CPU per acknowledged write (${N} writes × ${ROUNDS} rounds, median round, one write per batch = no group commit):`);
  console.log(`  write path in memory ${m.toFixed(1)} µs, with the journal ${d.toFixed(1)} µs: the journal adds ${(d - m).toFixed(1)} µs per write`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
