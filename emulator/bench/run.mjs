// `npm run bench -w emulator`: acknowledged writes/s (1, 10, 100 clients), write-to-listener
// latency at a fixed rate, and memory per million stored readings — for the SDK and REST
// against our emulator, and for a bare `ws`/HTTP echo server as the ceiling. The server and
// the clients run in separate processes; everything binds to 127.0.0.1.
import { execFileSync, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 3000);
const WARMUP_MS = 700;
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 4);
const LATENCY_RATE = 1000;
const LATENCY_MS = 5000;
const READINGS = Number(process.env.BENCH_READINGS ?? 1_000_000);
// One client process by default: on a 2-core machine the clients then get one core and the
// server the other; more client processes only make them compete with the server.
const WORKERS_MAX = Number(process.env.BENCH_WORKERS ?? 1);

process.env.FIREBASE_DATABASE_EMULATOR_HOST ??= '127.0.0.1:9000';
process.env.GCLOUD_PROJECT = 'demo-firelink';

if (process.env.BENCH_SKIP_BUILD !== '1' || !existsSync(join(root, 'dist/index.js'))) {
  process.stdout.write('building emulator (tsc -p tsconfig.build.json)…\n');
  execFileSync(process.execPath, [join(root, '../node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
}

// Every child is killed when the run ends, however it ends.
const children = new Set();
const track = (child) => {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
};
const killAll = () => children.forEach((c) => c.kill('SIGKILL'));
process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));
process.on('uncaughtException', (e) => {
  console.error(e);
  process.exit(1);
});
process.on('unhandledRejection', (e) => {
  console.error(e);
  process.exit(1);
});

function startServer(kind) {
  const child = track(fork(join(here, 'server.mjs'), [kind], { execArgv: ['--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  return new Promise((resolve, reject) => {
    child.once('message', (m) => resolve({ child, url: m.url }));
    child.once('exit', (code) => reject(new Error(`${kind} server exited (${code})`)));
  });
}

function once(child, type) {
  return new Promise((resolve, reject) => {
    const onExit = (code) => reject(new Error(`child exited (${code}) while waiting for ${type}`));
    const onMessage = (m) => {
      if (m.type === type) {
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(m);
      }
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

async function spawnWorkers(job, count, perWorker) {
  const workers = [];
  for (let w = 0; w < count; w++) {
    const child = track(fork(join(here, 'worker.mjs'), [], { cwd: root, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
    child.send({ ...job, clients: perWorker[w] });
    workers.push(child);
  }
  await Promise.all(workers.map((w) => once(w, 'ready')));
  return workers;
}

async function finish(workers) {
  for (const w of workers) w.send({ type: 'exit' });
  await Promise.all(workers.map((w) => new Promise((r) => (w.exitCode !== null ? r() : w.once('exit', r)))));
}

function split(total, parts) {
  const n = Math.min(parts, total);
  return Array.from({ length: n }, (_, i) => Math.floor(total / n) + (i < total % n ? 1 : 0));
}

async function serverCpuUs(server) {
  if (!server) return 0;
  server.send({ type: 'cpu' });
  const { usage } = await once(server, 'cpu');
  return usage.user + usage.system;
}

/** Acked writes/s in the measured window, and the server's CPU time per acked write. */
async function writesPerSecond(transport, url, clients, server) {
  const perWorker = split(clients, WORKERS_MAX);
  const job = { transport, mode: 'write', url, ns: `bench-${transport}-${clients}`, durationMs: DURATION_MS, warmupMs: WARMUP_MS, window: IN_FLIGHT };
  const workers = await spawnWorkers(job, perWorker.length, perWorker);
  const results = workers.map((w) => once(w, 'result'));
  const cpuBefore = await serverCpuUs(server);
  for (const w of workers) w.send({ type: 'go' });
  const done = await Promise.all(results);
  const cpuUs = (await serverCpuUs(server)) - cpuBefore;
  await finish(workers);
  const total = done.reduce((s, r) => s + r.total, 0);
  return { perSecond: done.reduce((s, r) => s + r.acked, 0) / (DURATION_MS / 1000), cpuUsPerWrite: cpuUs / total };
}

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function listenerLatency(transport, url) {
  const ns = `bench-lat-${transport}`;
  const base = { transport, mode: 'listen', url, ns, durationMs: LATENCY_MS, ratePerSec: LATENCY_RATE };
  const [listener] = await spawnWorkers({ ...base, role: 'listener' }, 1, [1]);
  listener.send({ type: 'go' });
  await once(listener, 'listening');
  await new Promise((r) => setTimeout(r, 300));
  const [writer] = await spawnWorkers({ ...base, role: 'writer' }, 1, [1]);
  const written = once(writer, 'result');
  writer.send({ type: 'go' });
  const { sent } = await written;
  const result = once(listener, 'result');
  listener.send({ type: 'stop' });
  const { latencies } = await result;
  await finish([writer, listener]);
  // The first second warms up JITs and connections on both sides.
  const steady = latencies.slice(Math.min(latencies.length, LATENCY_RATE)).sort((a, b) => a - b);
  return { sent, received: latencies.length, p50: percentile(steady, 50), p99: percentile(steady, 99) };
}

async function memoryPerMillion(url, child) {
  const ask = () => {
    child.send({ type: 'mem' });
    return once(child, 'mem');
  };
  const before = (await ask()).usage;
  const devices = 100;
  const perDevice = Math.ceil(READINGS / devices);
  const batch = 5000;
  const t0 = Date.now();
  let stored = 0;
  const alphabet = '-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz';
  const pushId = (ms, n) => {
    let id = '';
    for (let i = 0; i < 8; i++) id = alphabet[Math.floor(ms / 64 ** i) % 64] + id;
    for (let i = 0; i < 12; i++) id += alphabet[Math.floor(n / 64 ** (11 - i)) % 64];
    return id;
  };
  for (let d = 0; d < devices; d++) {
    for (let start = 0; start < perDevice; start += batch) {
      const patch = {};
      for (let i = start; i < Math.min(perDevice, start + batch); i++) {
        const ts = 1_763_700_000_000 + i * 1000;
        patch[pushId(ts, d * perDevice + i)] = { ir: (i * 37) % 4096, temp: 20 + (i % 50) / 10, seq: i, ts };
        stored++;
      }
      const res = await fetch(`${url}/devices/dev${d}/readings.json?ns=bench-mem`, { method: 'PATCH', body: JSON.stringify(patch) });
      if (res.status !== 200) throw new Error(`PATCH failed: ${res.status} ${await res.text()}`);
    }
  }
  const loadSeconds = (Date.now() - t0) / 1000;
  const after = (await ask()).usage;
  const scale = 1_000_000 / stored;
  return {
    stored,
    loadSeconds,
    heapMiB: ((after.heapUsed - before.heapUsed) * scale) / 2 ** 20,
    rssMiB: ((after.rss - before.rss) * scale) / 2 ** 20,
  };
}

const fmt = (n, digits = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : 'n/a');
const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${fmt((100 * a) / b)}%` : 'n/a');

const startedAt = Date.now();
const { loadavg, cpus } = await import('node:os');
console.log(`rtdb-emulator benchmark — ${new Date().toISOString()}, node ${process.version}, ${cpus().length} cores, load average ${loadavg()[0].toFixed(1)}, ${DURATION_MS} ms per run, ${IN_FLIGHT} writes in flight per client`);

// BENCH_QUICK=1: only the SDK and REST write rates (for tuning); everything else is skipped.
if (process.env.BENCH_QUICK === '1') {
  const emu = await startServer('emulator');
  for (const transport of ['sdk', 'rest']) {
    for (const n of [1, 10, 100]) {
      const r = await writesPerSecond(transport, emu.url, n, emu.child);
      console.log(`${transport} ${n} clients: ${fmt(r.perSecond)} writes/s, server ${fmt(r.cpuUsPerWrite)} µs CPU per write`);
    }
  }
  process.exit(0);
}

/**
 * Acknowledged writes/s in memory and with --data-dir (journal before ack, group commit). Both
 * servers run at once and the runs alternate, three rounds each, medians compared: on a shared
 * machine load drifts between runs, and alternation spreads it over both sides.
 */
async function durableCost() {
  const servers = { emulator: await startServer('emulator'), durable: await startServer('durable') };
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log('\ndurable mode (--data-dir) against in-memory: acknowledged writes per second (median of 3 alternating runs)');
  console.log('transport | clients | in memory | journal   | cost  | server CPU per write');
  const costs = [];
  for (const transport of ['sdk', 'rest']) {
    for (const n of [1, 10, 100]) {
      const runs = { emulator: [], durable: [] };
      const cpu = { emulator: [], durable: [] };
      for (let round = 0; round < 3; round++) {
        for (const kind of round % 2 === 0 ? ['emulator', 'durable'] : ['durable', 'emulator']) {
          const r = await writesPerSecond(transport, servers[kind].url, n, servers[kind].child);
          runs[kind].push(r.perSecond);
          cpu[kind].push(r.cpuUsPerWrite);
        }
      }
      const mem = median(runs.emulator);
      const dur = median(runs.durable);
      const cost = 100 * (1 - dur / mem);
      // Server CPU per write is what the journal adds; it depends far less on machine load.
      const cpuCost = 100 * (median(cpu.durable) / median(cpu.emulator) - 1);
      costs.push(cpuCost);
      console.log(
        `${transport.padEnd(9)} | ${String(n).padStart(7)} | ${fmt(mem).padStart(9)} | ${fmt(dur).padStart(9)} | ${fmt(cost).padStart(4)}% | ` +
          `${fmt(median(cpu.emulator)).padStart(4)} → ${fmt(median(cpu.durable)).padStart(4)} µs (${fmt(cpuCost)}%)`,
      );
    }
  }
  console.log(`target: the journal costs < 20% of server CPU per write — ${costs.every((c) => c < 20) ? 'met' : 'NOT met'} (worst ${fmt(Math.max(...costs))}%; ` +
    `end-to-end runs swing with machine load, bench/journal-cost.mjs measures the journal's own CPU in one process)`);
  for (const s of Object.values(servers)) s.child.kill('SIGTERM');
}

// BENCH_DURABLE=1: only the durable-mode cost table.
if (process.env.BENCH_DURABLE === '1') {
  await durableCost();
  process.exit(0);
}

const echo = await startServer('echo');
const ceiling = {};
for (const n of [1, 10, 100]) ceiling[`ws${n}`] = await writesPerSecond('echo', echo.url, n, echo.child);
ceiling.lat = await listenerLatency('echo', echo.url);
echo.child.kill();

const emu = await startServer('emulator');
const ours = {};
for (const transport of ['sdk', 'rest']) {
  for (const n of [1, 10, 100]) ours[`${transport}${n}`] = await writesPerSecond(transport, emu.url, n, emu.child);
  ours[`${transport}Lat`] = await listenerLatency(transport, emu.url);
}
const mem = await memoryPerMillion(emu.url, emu.child);
emu.child.kill();

console.log('\nacknowledged writes per second (closed loop); in brackets: server CPU µs per write');
console.log('clients | SDK (ws)           | REST               | ws echo ceiling    | SDK/ceiling | REST/ceiling');
const cell = (r) => `${fmt(r.perSecond).padStart(7)} [${fmt(r.cpuUsPerWrite).padStart(4)} µs]`.padEnd(18);
for (const n of [1, 10, 100]) {
  const c = ceiling[`ws${n}`];
  console.log(`${String(n).padStart(7)} | ${cell(ours[`sdk${n}`])} | ${cell(ours[`rest${n}`])} | ${cell(c)} | ${ratio(ours[`sdk${n}`].perSecond, c.perSecond).padStart(11)} | ${ratio(ours[`rest${n}`].perSecond, c.perSecond).padStart(12)}`);
}
const capacity = (r) => fmt(1e6 / r.cpuUsPerWrite);
console.log(`server-bound capacity (1 core ÷ CPU per write, 10 clients): SDK ${capacity(ours.sdk10)}/s, REST ${capacity(ours.rest10)}/s, echo ${capacity(ceiling.ws10)}/s`);
console.log(`\nwrite → listener on another client, ${LATENCY_RATE} writes/s for ${LATENCY_MS / 1000} s (first second excluded)`);
console.log('path              | received | p50 ms | p99 ms');
for (const [name, r] of [['SDK → SDK', ours.sdkLat], ['REST → SSE', ours.restLat], ['ws echo broadcast', ceiling.lat]]) {
  console.log(`${name.padEnd(17)} | ${fmt(r.received).padStart(8)} | ${fmt(r.p50, 2).padStart(6)} | ${fmt(r.p99, 2).padStart(6)}`);
}
console.log(`\nmemory per million stored readings ({ir, temp, seq, ts} under 100 devices; ${fmt(mem.stored)} stored via REST PATCH in ${fmt(mem.loadSeconds, 1)} s)`);
console.log(`heap: ${fmt(mem.heapMiB)} MiB   rss: ${fmt(mem.rssMiB)} MiB`);
console.log(`\ntargets: ≥ 10,000 writes/s with 10 clients — SDK ${ours.sdk10.perSecond >= 10_000 ? 'met' : 'NOT met'}, REST ${ours.rest10.perSecond >= 10_000 ? 'met' : 'NOT met'}; p99 < 10 ms at 1,000 writes/s — SDK ${ours.sdkLat.p99 < 10 ? 'met' : 'NOT met'}, REST ${ours.restLat.p99 < 10 ? 'met' : 'NOT met'}`);
await durableCost();
// Read re-check cost with many open streams (a 1,000-device fleet streams 3 locations each).
console.log('');
const { runSseFanoutBench } = await import('./sse-fanout-bench.mjs');
await runSseFanoutBench(['--streams', process.env.BENCH_SSE_STREAMS ?? '0,3000', '--seconds', String(Math.max(1, DURATION_MS / 1000))]);
console.log(`total ${fmt((Date.now() - startedAt) / 1000, 0)} s`);
