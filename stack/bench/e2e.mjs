// End-to-end benchmark through the full local stack (npm start's processes: firebase-tools Auth,
// our RTDB emulator + functions host, device-sim fleets): fleets of 1, 100 and 1,000 devices at
// one reading per second each. Prints readings/s accepted and mapped, reading-to-state latency as
// the devices see it (p50/p99 over the whole run once every device runs; p99 while the fleet
// starts, the ramp-up, apart; p99 over both; and the p99 range of the per-second steady windows),
// CPU and peak RSS of each process, CPU time per mapped reading (database server and
// functions worker apart: steadier than latency on a shared machine), and the fleet's own
// event-loop delay in the steady windows (a late simulator inflates the latency it measures).
// Figures only; nothing here asserts a duration.
//   BENCH_SIZES=1,100,1000 BENCH_SECONDS=30 npm run bench -w stack
import '../dist/env.js';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FLEET_NODE_FLAGS, functionsStatus, mainThreadSchedMs, peakRssBytes, processCpuMs, processTree, stackConfig, startStack, treeCpuMs } from '../dist/index.js';

const sizes = (process.env.BENCH_SIZES ?? '1,100,1000').split(',').map(Number);
const seconds = Number(process.env.BENCH_SECONDS ?? 30);
/** Windows before this many seconds (and before every device is online) count as ramp-up. */
const RAMP_SECONDS = Number(process.env.BENCH_RAMP_SECONDS ?? 10);
const dir = mkdtempSync(join(tmpdir(), 'stack-bench-'));
const cli = join(stackConfig().root, 'device-sim', 'dist', 'cli.js');

/** Resets a process tree's peak RSS (Linux: writing 5 to clear_refs resets VmHWM). */
function resetPeak(pid) {
  for (const p of processTree(pid)) {
    try {
      writeFileSync(`/proc/${p}/clear_refs`, '5');
    } catch {
      // not allowed or gone: the peak then covers the whole life of the process
    }
  }
}
const peakMiB = (pid) => Math.max(0, ...processTree(pid).map((p) => peakRssBytes(p) ?? 0)) / 2 ** 20;
const mib = (n) => `${n.toFixed(0)} MiB`;

/** Median of a list of numbers, or NaN. */
function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[Math.floor(sorted.length / 2)];
}

/**
 * Run and run-queue wait ms of the event loops that carry a reading: database server, functions
 * worker (its child) and fleet. Null entries where the kernel keeps no figures.
 */
function loopSched(databasePid, fleetPid) {
  const workerPid = processTree(databasePid)[1];
  return {
    database: mainThreadSchedMs(databasePid),
    worker: workerPid === undefined ? null : mainThreadSchedMs(workerPid),
    fleet: mainThreadSchedMs(fleetPid),
  };
}

/** CPU ms of the database server process itself and of its children (the functions worker). */
function databaseCpuMs(pid) {
  const own = processCpuMs(pid) ?? 0;
  return { server: own, worker: (treeCpuMs(pid) ?? own) - own };
}

function runFleet(stack, size) {
  stack.databasePid = stack.services().find((service) => service.name === 'database').pid;
  const report = join(dir, `report-${size}.json`);
  const loopDelayFile = join(dir, `loop-delay-${size}.json`);
  const args = [cli, 'fleet', '--count', String(size), '--rate', '1', '--prefix', `bench${size}`, '--owner', 'bench-owner',
    '--duration-ms', String(seconds * 1000), '--stats-interval-ms', '1000', '--streams', 'state', '--report-file', report,
    '--start-spread-ms', String(Math.min(10_000, size * 10))];
  const env = {
    ...process.env,
    FIREBASE_DATABASE_EMULATOR_HOST: stack.hosts.database,
    FIREBASE_AUTH_EMULATOR_HOST: stack.hosts.auth,
    BENCH_LOOP_DELAY_FILE: loopDelayFile,
  };
  const loopDelay = fileURLToPath(new URL('./loop-delay.mjs', import.meta.url));
  const child = spawn(process.execPath, [...FLEET_NODE_FLAGS, '--import', loopDelay, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const windows = [];
  let peakFleetMiB = 0;
  const started = Date.now();
  /** When every device was first online: the steady part starts here (and after the ramp). */
  let allOnlineAtMs = null;
  let pending = '';
  child.stdout.on('data', (chunk) => {
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      const m = /^online (\d+)\/(\d+) \|.*states\/s (\d+) \| latency p50 (\S+) ms p99 (\S+) ms/.exec(line);
      if (!m) continue;
      windows.push({
        clock: new Date().toISOString().slice(11, 19),
        atS: (Date.now() - started) / 1000, online: Number(m[1]), total: Number(m[2]), states: Number(m[3]),
        p50: Number(m[4]), p99: Number(m[5]), cpu: databaseCpuMs(stack.databasePid), sched: loopSched(stack.databasePid, child.pid),
      });
      if (allOnlineAtMs === null && m[1] === m[2]) allOnlineAtMs = Date.now();
    }
  });
  let stderr = '';
  child.stderr.on('data', (c) => (stderr = (stderr + c.toString()).slice(-4000)));
  // The fleet exits at the end of its run: sample its CPU and peak RSS while it lives.
  let cpuFleetMs = 0;
  const timer = setInterval(() => {
    peakFleetMiB = Math.max(peakFleetMiB, peakMiB(child.pid));
    cpuFleetMs = treeCpuMs(child.pid) ?? cpuFleetMs;
  }, 250);
  return new Promise((resolve) => {
    child.once('exit', (code) => {
      clearInterval(timer);
      let parsed = null;
      try {
        parsed = JSON.parse(readFileSync(report, 'utf8'));
      } catch {
        console.error(`fleet of ${size} wrote no report (exit ${code}):\n${stderr}`);
      }
      let loopWindows = [];
      try {
        loopWindows = JSON.parse(readFileSync(loopDelayFile, 'utf8'));
      } catch {
        // the fleet died before exit: no figures
      }
      const steadyFromMs = Math.max(allOnlineAtMs ?? Infinity, started + RAMP_SECONDS * 1000);
      const steadyLoop = loopWindows.filter((w) => w.atMs >= steadyFromMs);
      const loopDelayMs = steadyLoop.length === 0 ? null : {
        p50: median(steadyLoop.map((w) => w.p50)),
        p99: median(steadyLoop.map((w) => w.p99)),
        worstP99: Math.max(...steadyLoop.map((w) => w.p99)),
        max: Math.max(...steadyLoop.map((w) => w.max)),
      };
      resolve({ report: parsed?.report ?? parsed, windows, peakFleetMiB, cpuFleetMs, loopDelayMs });
    });
  });
}

const stack = await startStack({ ports: 'free', processes: 'child', functions: true, logInvocations: false });
try {
  const pids = Object.fromEntries(stack.services().map((s) => [s.name, s.pid]));
  console.log(`stack up: database ${stack.hosts.database}, auth ${stack.hosts.auth}; ${seconds} s per fleet, 1 reading/s per device, ramp-up = first ${RAMP_SECONDS} s`);
  console.log('devices | accepted/s | mapped/s | run p50 ms | run p99 ms | ramp-up p99 ms | both p99 ms | steady windows p99 ms (min-max) | CPU % database+functions | CPU % auth | CPU % fleet | peak RSS database+functions | auth | fleet');
  for (const size of sizes) {
    for (const pid of Object.values(pids)) resetPeak(pid);
    const cpu0 = { database: treeCpuMs(pids.database), auth: treeCpuMs(pids.auth) };
    const db0 = databaseCpuMs(pids.database);
    const functions0 = await functionsStatus(stack);
    const t0 = Date.now();
    const result = await runFleet(stack, size);
    const wallMs = Date.now() - t0;
    const db1 = databaseCpuMs(pids.database);
    const functions1 = await functionsStatus(stack);
    const cpu = (name) => (((treeCpuMs(pids[name]) ?? 0) - (cpu0[name] ?? 0)) / wallMs) * 100;
    const r = result.report ?? {};
    const runS = (r.durationMs ?? seconds * 1000) / 1000;
    const steady = result.windows.filter((w) => w.atS >= RAMP_SECONDS && w.online === w.total && Number.isFinite(w.p99));
    const steadyP99 = steady.length ? `${Math.min(...steady.map((w) => w.p99))}-${Math.max(...steady.map((w) => w.p99))}` : 'n/a';
    // CPU per reading in the steady windows only (start-up's sign-ins and listens apart): from the
    // end of the window before the first steady one to the end of the last.
    const firstSteady = steady.length ? result.windows.indexOf(steady[0]) : -1;
    const steadyFrom = firstSteady > 0 ? result.windows[firstSteady - 1].cpu : null;
    const steadyTo = steady.length ? steady[steady.length - 1].cpu : null;
    const steadyStates = steady.reduce((n, w) => n + w.states, 0);
    console.log(
      [
        String(size).padStart(7),
        ((r.acked ?? 0) / runS).toFixed(1),
        ((r.mapped ?? 0) / runS).toFixed(1),
        r.runLatencyMs?.p50 ?? 'n/a',
        r.runLatencyMs?.p99 ?? 'n/a',
        r.startLatencyMs?.p99 ?? 'n/a',
        r.latencyMs?.p99 ?? 'n/a',
        steadyP99,
        cpu('database').toFixed(0),
        cpu('auth').toFixed(0),
        ((result.cpuFleetMs / wallMs) * 100).toFixed(0),
        mib(peakMiB(pids.database)),
        mib(peakMiB(pids.auth)),
        mib(result.peakFleetMiB),
      ].join(' | '),
    );
    console.log(`        machine load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} (figures are only comparable at similar load)`);
    // Every reading costs the database and worker the same whether it came during start or later.
    const perReading = (ms) => (r.mapped ? ((ms / r.mapped) * 1000).toFixed(0) : 'n/a');
    console.log(`        CPU per mapped reading over the whole run (start-up included): database server ${perReading(db1.server - db0.server)} µs, functions worker ${perReading(db1.worker - db0.worker)} µs`);
    if (steadyFrom !== null && steadyStates > 0) {
      const us = (ms) => ((ms / steadyStates) * 1000).toFixed(0);
      // BENCH_WINDOWS=1: every per-second window, with the wall clock (scheduled jobs tick at :00).
      if (process.env.BENCH_WINDOWS === '1') for (const w of result.windows) console.log(`        window ${w.clock} +${w.atS.toFixed(0)} s: online ${w.online}, states ${w.states}/s, p50 ${w.p50} ms, p99 ${w.p99} ms`);
      console.log(`        steady windows (${steady.length}): states ${(steadyStates / steady.length).toFixed(0)}/s, p50 ${median(steady.map((w) => w.p50))} ms, p99 ${median(steady.map((w) => w.p99))} ms (medians of the windows); CPU per state: database server ${us(steadyTo.server - steadyFrom.server)} µs, functions worker ${us(steadyTo.worker - steadyFrom.worker)} µs`);
      // Share of each loop's runnable time spent waiting for a CPU: latency no profile shows (the
      // other processes on the cores, and the time a sleeping loop takes to get one back).
      const from = result.windows[firstSteady - 1].sched;
      const to = steady[steady.length - 1].sched;
      const share = (name) => {
        const a = from[name];
        const b = to[name];
        if (!a || !b) return `${name} n/a`;
        const run = b.runMs - a.runMs;
        const wait = b.waitMs - a.waitMs;
        const slices = b.slices - a.slices;
        const perSlice = slices > 0 ? `, ${((1000 * wait) / slices).toFixed(0)} µs per time on a CPU` : '';
        return `${name} ${((100 * wait) / (run + wait)).toFixed(0)} % (${(wait / steady.length).toFixed(0)} ms a second${perSlice})`;
      };
      console.log(`        waiting for a CPU in the steady windows (share of each event loop's runnable time): ${['database', 'worker', 'fleet'].map(share).join(', ')}`);
    }
    const lag = result.loopDelayMs;
    console.log(lag === null
      ? '        fleet event-loop delay: no steady windows'
      : `        fleet event-loop delay in the steady windows: p50 ${lag.p50} ms, p99 ${lag.p99} ms (median of the per-second windows; worst window p99 ${lag.worstP99} ms, max ${lag.max} ms)`);
    // Events that found every invocation slot taken wait in the host's queue: latency the
    // readings see before any function runs.
    if (functions0 !== null && functions1 !== null) {
      const waited = (functions1.stats.waitedForSlot ?? 0) - (functions0.stats.waitedForSlot ?? 0);
      console.log(`        functions host: ${waited} events waited for a free invocation slot (${functions1.maxConcurrent} at once; peak in flight since start ${functions1.stats.peakRunning})`);
    }
    console.log(`        sent ${r.sent} acked ${r.acked} mapped ${r.mapped} queued ${r.queued} errors ${r.errors} (${JSON.stringify(r.errorsByCode ?? {})}); start ${r.startMs} ms`);
  }
} finally {
  await stack.stop();
  rmSync(dir, { recursive: true, force: true });
}
