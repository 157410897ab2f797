// The same fleet on 1 and on 4 database instances (issue 17): a local stack with `shards: 1` and
// with `shards: 4`, the devices provisioned by the least-loaded rule, driven by four device-sim
// fleets in both runs (one per shard, or four on the one instance), so only the namespaces differ.
// The emulator is one process: this shows the routing cost (directory, per-namespace triggers,
// jobs that visit each shard), not more capacity. Prints both. Figures only; nothing asserts.
//   BENCH_SHARDS_DEVICES=40 BENCH_SHARDS_SECONDS=15 npm run bench:shards -w stack
import '../dist/env.js';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { FLEET_NODE_FLAGS, runSchedule, stackConfig, startStack, treeCpuMs } from '../dist/index.js';

const devices = Number(process.env.BENCH_SHARDS_DEVICES ?? 40);
const seconds = Number(process.env.BENCH_SHARDS_SECONDS ?? 15);
const GROUPS = 4;
const cli = join(stackConfig().root, 'device-sim', 'dist', 'cli.js');
// Schedules only when this script runs them.
process.env.FIRELINK_SCHEDULE = '0 0 1 1 *';

function runGroup(stack, dir, name, namespace, credentials) {
  const file = join(dir, `${name}.json`);
  const report = join(dir, `${name}-report.json`);
  writeFileSync(file, JSON.stringify(credentials));
  const args = [cli, 'fleet', '--count', String(credentials.length), '--rate', '1', '--owner', 'bench-owner', '--provision', 'never',
    '--credentials-file', file, '--namespace', namespace, '--duration-ms', String(seconds * 1000), '--stats-interval-ms', '5000',
    '--streams', 'state', '--report-file', report, '--start-spread-ms', String(Math.min(5_000, credentials.length * 50))];
  const env = { ...process.env, FIREBASE_DATABASE_EMULATOR_HOST: stack.hosts.database, FIREBASE_AUTH_EMULATOR_HOST: stack.hosts.auth };
  // The same young-generation size as the stack's own fleets (stack/src/fleet.ts: shorter GC pauses).
  const child = spawn(process.execPath, [...FLEET_NODE_FLAGS, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c) => (stderr = (stderr + c.toString()).slice(-4000)));
  return new Promise((resolve) => {
    child.once('exit', (code) => {
      try {
        const parsed = JSON.parse(readFileSync(report, 'utf8'));
        resolve(parsed.report ?? parsed);
      } catch {
        console.error(`fleet ${name} wrote no report (exit ${code}):\n${stderr}`);
        resolve(null);
      }
    });
  });
}

async function measure(shards) {
  const dir = mkdtempSync(join(tmpdir(), `stack-bench-shards-${shards}-`));
  const stack = await startStack({ ports: 'free', processes: 'child', functions: true, shards, logInvocations: false });
  try {
    const owner = await stack.createOwner({ email: 'bench-owner@example.test', password: 'bench-owner-1', uid: 'bench-owner' });
    // Provisioning: the directory read for the least-loaded choice, per device.
    const groups = Array.from({ length: GROUPS }, () => ({ namespace: null, credentials: [] }));
    const provisionStart = Date.now();
    for (let i = 0; i < devices; i++) {
      const deviceId = `bshard-${String(i + 1).padStart(4, '0')}`;
      const password = `bench-pass-${i}`;
      const made = await stack.provisionDevice({ deviceId, owner: owner.uid, password });
      // On 4 shards each shard is a group; on 1, devices are dealt round-robin into 4 groups.
      const group = groups[shards === 1 ? i % GROUPS : stack.shards.indexOf(made.shard)];
      group.namespace = made.shard;
      group.credentials.push({ deviceId, email: made.email, password });
    }
    const provisionMs = Date.now() - provisionStart;
    const pid = stack.services().find((s) => s.name === 'database').pid;
    const cpu0 = treeCpuMs(pid) ?? 0;
    const t0 = Date.now();
    const reports = (await Promise.all(groups.filter((g) => g.credentials.length > 0).map((g, k) => runGroup(stack, dir, `g${k}`, g.namespace, g.credentials)))).filter(Boolean);
    const wallMs = Date.now() - t0;
    const cpuPct = (((treeCpuMs(pid) ?? 0) - cpu0) / wallMs) * 100;
    await stack.functionsIdle(60_000);
    const jobs = {};
    for (const job of ['sweepPresence', 'rollupReadings', 'pruneReadings', 'expireCommands']) {
      const started = Date.now();
      await runSchedule(stack, job);
      jobs[job] = Date.now() - started;
    }
    const sum = (key) => reports.reduce((n, r) => n + (r[key] ?? 0), 0);
    const runS = Math.max(...reports.map((r) => r.durationMs ?? seconds * 1000)) / 1000;
    const weighted = (q) => {
      const n = reports.reduce((t, r) => t + (r.latencyMs?.samples ?? 0), 0);
      return n === 0 ? null : Math.round(reports.reduce((t, r) => t + (r.latencyMs?.[q] ?? 0) * (r.latencyMs?.samples ?? 0), 0) / n);
    };
    return {
      shards,
      acceptedPerS: sum('acked') / runS,
      mappedPerS: sum('mapped') / runS,
      p50: weighted('p50'),
      p99max: Math.max(...reports.map((r) => r.latencyMs?.p99 ?? 0)),
      errors: sum('errors'),
      cpuPct,
      provisionMsPerDevice: provisionMs / devices,
      jobs,
    };
  } finally {
    await stack.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(`${devices} devices, 1 reading/s each, ${seconds} s, in ${GROUPS} device-sim fleets; the same fleet on 1 and on 4 namespaces of one emulator`);
console.log('namespaces | accepted/s | mapped/s | p50 ms | p99 ms (worst fleet) | errors | CPU % database+functions | provision ms/device | job ms: presence rollups retention commands');
for (const shards of [1, 4]) {
  const r = await measure(shards);
  console.log(
    [
      String(r.shards).padStart(10),
      r.acceptedPerS.toFixed(1),
      r.mappedPerS.toFixed(1),
      r.p50 ?? 'n/a',
      r.p99max,
      r.errors,
      r.cpuPct.toFixed(0),
      r.provisionMsPerDevice.toFixed(0),
      `${r.jobs.sweepPresence} ${r.jobs.rollupReadings} ${r.jobs.pruneReadings} ${r.jobs.expireCommands}`,
    ].join(' | '),
  );
  console.log(`           machine load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} (figures are only comparable at similar load)`);
}
