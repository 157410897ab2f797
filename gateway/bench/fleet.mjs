// `npm run bench -w gateway`: N MQTT devices (default 1,000) at R readings/s each (default 1)
// through the gateway, for a short measured window. Prints accepted and mapped readings/s, the
// reading → retained-state latency (p50/p99, from the publish to the state message naming that
// seq), and the gateway's CPU and RSS. Target: sustained, p99 < 100 ms on 2 cores.
//
// The system: @firelink/stack (Auth emulator, our RTDB emulator with the rules and the functions,
// as child processes) and the gateway as its own child process (node gateway/dist/cli.js), so its
// CPU and memory are its own. The devices are MQTT.js clients in this process.
//
// The device accounts are imported in one Admin SDK call (importUsers, with the `device` claim) and
// their ID tokens minted here in the shape the Auth emulator issues (unsigned, alg "none", the
// project's issuer and audience) instead of 1,000 sign-ins; the gateway verifies them with
// firebase-admin exactly as it verifies the Auth emulator's own. Configs: one admin update.
//
// Environment: FIRELINK_GATEWAY_BENCH_DEVICES (1000), _RATE (1 reading/s per device),
// _MS (measured window, 20000), _WARMUP_MS (5000), _NODE_ARGS (node flags for the gateway, e.g.
// `--cpu-prof --cpu-prof-dir=prof`), _LOG_LEVEL, _VERBOSE (gateway log lines on stderr).
import '@firelink/stack/env';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import mqtt from 'mqtt';
import { getAuth } from 'firebase-admin/auth';
import { getDatabase } from 'firebase-admin/database';
import { DEFAULT_CONFIG } from '@firelink/model';
import { startStack, freePort, eventually } from '@firelink/stack';

const here = dirname(fileURLToPath(import.meta.url));
const DEVICES = Number(process.env.FIRELINK_GATEWAY_BENCH_DEVICES ?? 1000);
const RATE = Number(process.env.FIRELINK_GATEWAY_BENCH_RATE ?? 1);
const WINDOW_MS = Number(process.env.FIRELINK_GATEWAY_BENCH_MS ?? 20_000);
const WARMUP_MS = Number(process.env.FIRELINK_GATEWAY_BENCH_WARMUP_MS ?? 5_000);
const CLK_TCK = 100; // Linux USER_HZ: /proc/<pid>/stat times are in 1/100 s (man 5 proc).

function mintToken(projectId, deviceId) {
  const now = Math.floor(Date.now() / 1000);
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const uid = `device-${deviceId}`;
  return `${b64({ alg: 'none', typ: 'JWT' })}.${b64({
    iss: `https://securetoken.google.com/${projectId}`, aud: projectId, auth_time: now, user_id: uid, sub: uid,
    iat: now, exp: now + 3600, device: deviceId, firebase: { identities: {}, sign_in_provider: 'password' },
  })}.`;
}

/** CPU seconds and RSS of a process from /proc (Linux). */
function usage(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    return { cpuSeconds, rssMiB: rssKb / 1024 };
  } catch {
    return { cpuSeconds: NaN, rssMiB: NaN };
  }
}

/** The services' processes and their children (the functions worker is the database's child). */
function servicePids() {
  const out = [];
  for (const s of stack.services().filter((x) => x.pid)) {
    out.push({ name: s.name, pid: s.pid });
    try {
      const kids = readFileSync(`/proc/${s.pid}/task/${s.pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
      kids.forEach((pid, i) => out.push({ name: `${s.name}-child${kids.length > 1 ? i + 1 : ''}`, pid: Number(pid) }));
    } catch {
      // not Linux, or gone
    }
  }
  return out;
}

const pct = (sorted, p) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]);

const started = Date.now();
const stack = await startStack({ ports: 'free', processes: 'child', functions: true });
const admin = getDatabase(stack.adminApp());
const ids = Array.from({ length: DEVICES }, (_, i) => `gwb-${String(i + 1).padStart(4, '0')}`);
await admin.ref('devices').update(Object.fromEntries(ids.map((id) => [`${id}/config`, DEFAULT_CONFIG])));
// The accounts, in batches of 1,000 (Admin SDK importUsers); firebase-admin checks in emulator mode
// that a token's user exists.
for (let i = 0; i < ids.length; i += 1000) {
  const result = await getAuth(stack.adminApp()).importUsers(
    ids.slice(i, i + 1000).map((id) => ({ uid: `device-${id}`, email: `${id}@devices.firelink.local`, customClaims: { device: id } })),
  );
  if (result.failureCount > 0) throw new Error(`importUsers: ${result.errors[0]?.error.message}`);
}

const mqttPort = await freePort();
const wsPort = await freePort();
// FIRELINK_GATEWAY_BENCH_NODE_ARGS: extra node flags for the gateway (e.g. `--cpu-prof --cpu-prof-dir=prof`).
const gatewayNodeArgs = (process.env.FIRELINK_GATEWAY_BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
const gatewayProc = spawn(process.execPath, [...gatewayNodeArgs, join(here, '..', 'dist', 'cli.js'), '--mqtt-port', String(mqttPort), '--ws-port', String(wsPort), '--log-level', process.env.FIRELINK_GATEWAY_BENCH_LOG_LEVEL ?? 'warn'], {
  env: { ...process.env, FIREBASE_DATABASE_EMULATOR_HOST: stack.hosts.database, FIREBASE_AUTH_EMULATOR_HOST: stack.hosts.auth },
  stdio: ['ignore', 'pipe', 'pipe'],
});
let gatewayErrors = 0;
gatewayProc.stderr.on('data', (chunk) => {
  for (const line of chunk.toString().split("\n")) {
    if (line.includes('"level":"error"')) gatewayErrors += 1;
    if (process.env.FIRELINK_GATEWAY_BENCH_VERBOSE && line) console.error(line);
  }
});
await new Promise((resolve, reject) => {
  gatewayProc.stdout.on('data', (c) => c.toString().includes('MQTT gateway:') && resolve());
  gatewayProc.once('exit', (code) => reject(new Error(`gateway exited with ${code}`)));
});

let measuring = false;
const counts = { sent: 0, acked: 0, refused: 0, mapped: 0 };
const latencies = [];
const ackLatencies = [];
const deliveryLatencies = [];
const clients = [];
const sentAt = new Map();
let seq = Math.floor((Date.now() - Date.UTC(2025, 0, 1)) / 100);

let connectRetries = 0;
let clientErrors = 0;
async function connectDevice(id) {
  for (let attempt = 1; ; attempt += 1) {
    try {
      const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${mqttPort}`, {
        username: id, password: mintToken(stack.projectId, id), clientId: id, protocolVersion: 5, reconnectPeriod: 0, keepalive: 60, connectTimeout: 30_000,
      });
      client.on('error', () => (clientErrors += 1));
      return client;
    } catch (error) {
      if (attempt >= 5) throw error;
      connectRetries += 1;
      await new Promise((r) => setTimeout(r, 500 * attempt));
    }
  }
}

try {
await Promise.all(ids.map(async (id, i) => {
  await new Promise((r) => setTimeout(r, (i * 10) % 10_000));
  const client = await connectDevice(id);
  client.on('message', (topic, payload) => {
    if (payload.length === 0) return;
    const state = JSON.parse(payload.toString());
    const key = `${id}/${state.seq}`;
    const sent = sentAt.get(key);
    if (sent === undefined) return;
    sentAt.delete(key);
    const at = sent.at;
    // Counted by when the reading was SENT (inside the window), whenever its state arrives: a
    // state that arrives in the window for a warm-up reading is not the window's, and one that
    // arrives after the window for a window reading is (and its latency counts).
    if (sent.inWindow) {
      counts.mapped += 1;
      latencies.push(performance.now() - at);
      // The state's `ts` is the server time the function wrote it (same machine clock): splits
      // the latency into reading → state written and state written → state at the device.
      if (typeof state.ts === 'number') deliveryLatencies.push(Date.now() - state.ts);
    }
  });
  await client.subscribeAsync(`firelink/devices/${id}/state`, { qos: 1 });
  clients.push({ id, client });
}));
const connectedMs = Date.now() - started;
console.log(`${DEVICES} devices connected and subscribed (${(connectedMs / 1000).toFixed(1)} s after start, ${connectRetries} connect retries)`);

// Each device publishes every 1/RATE s, spread evenly over the period.
const periodMs = 1000 / RATE;
const timers = clients.map(({ id, client }, i) => {
  const tick = () => {
    seq += 1;
    const reading = { ir: Math.floor(Math.random() * 4096), seq, deviceTs: Date.now() };
    sentAt.set(`${id}/${seq}`, { at: performance.now(), inWindow: measuring });
    if (measuring) counts.sent += 1;
    const counted = measuring;
    const publishedAt = performance.now();
    client.publish(`firelink/devices/${id}/readings`, JSON.stringify(reading), { qos: 1 }, (err) => {
      if (!counted) return;
      ackLatencies.push(performance.now() - publishedAt);
      if (err) counts.refused += 1;
      else counts.acked += 1;
    });
  };
  return setTimeout(() => {
    tick();
    timers[i] = setInterval(tick, periodMs);
  }, (i * periodMs) / clients.length);
});

await new Promise((r) => setTimeout(r, WARMUP_MS));
const before = usage(gatewayProc.pid);
const beforeDb = servicePids().map((s) => ({ name: s.name, ...usage(s.pid) }));
const benchCpuBefore = process.cpuUsage();
// The devices live in this process: if its event loop lags, latencies would be the bench's own.
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
measuring = true;
const t0 = performance.now();
await new Promise((r) => setTimeout(r, WINDOW_MS));
measuring = false;
const seconds = (performance.now() - t0) / 1000;
loopDelay.disable();
const benchCpu = process.cpuUsage(benchCpuBefore);
const after = usage(gatewayProc.pid);
const afterDb = servicePids().map((s) => ({ name: s.name, ...usage(s.pid) }));
for (const t of timers) clearInterval(t);
// Let in-flight readings of the window finish mapping.
await eventually('in-flight readings to settle', () => counts.acked + counts.refused >= counts.sent, { timeoutMs: 10_000 }).catch(() => undefined);
await eventually('window readings to map', () => counts.mapped >= counts.acked, { timeoutMs: 5_000 }).catch(() => undefined);

latencies.sort((a, b) => a - b);
ackLatencies.sort((a, b) => a - b);
deliveryLatencies.sort((a, b) => a - b);
const report = {
  devices: DEVICES,
  ratePerDevice: RATE,
  windowSeconds: Number(seconds.toFixed(1)),
  offeredPerSecond: Number((counts.sent / seconds).toFixed(0)),
  acceptedPerSecond: Number((counts.acked / seconds).toFixed(0)),
  mappedPerSecond: Number((counts.mapped / seconds).toFixed(0)),
  refused: counts.refused,
  clientErrors,
  readingToPubackMs: { p50: Number(pct(ackLatencies, 50).toFixed(1)), p99: Number(pct(ackLatencies, 99).toFixed(1)) },
  readingToStateMs: { p50: Number(pct(latencies, 50).toFixed(1)), p90: Number(pct(latencies, 90).toFixed(1)), p99: Number(pct(latencies, 99).toFixed(1)), max: Number((latencies.at(-1) ?? NaN).toFixed(1)), samples: latencies.length },
  stateWrittenToDeviceMs: { p50: Number(pct(deliveryLatencies, 50).toFixed(1)), p99: Number(pct(deliveryLatencies, 99).toFixed(1)) },
  gateway: {
    cpuPercentOfOneCore: Number(((100 * (after.cpuSeconds - before.cpuSeconds)) / seconds).toFixed(0)),
    cpuMicrosPerReading: counts.acked > 0 ? Number((((after.cpuSeconds - before.cpuSeconds) / counts.acked) * 1e6).toFixed(0)) : null,
    rssMiB: Number(after.rssMiB.toFixed(0)), errorLines: gatewayErrors },
  emulators: afterDb.map((a) => {
    const b = beforeDb.find((x) => x.name === a.name);
    const cpuSeconds = a.cpuSeconds - (b?.cpuSeconds ?? 0);
    // Per reading accepted in the window: steadier than latency on a shared machine.
    const cpuMicrosPerReading = counts.acked > 0 ? Number(((cpuSeconds / counts.acked) * 1e6).toFixed(0)) : null;
    return { name: a.name, cpuPercentOfOneCore: Number(((100 * cpuSeconds) / seconds).toFixed(0)), cpuMicrosPerReading, rssMiB: Number(a.rssMiB.toFixed(0)) };
  }),
  benchProcess: {
    cpuPercentOfOneCore: Number(((100 * (benchCpu.user + benchCpu.system)) / 1e6 / seconds).toFixed(0)),
    eventLoopDelayMs: { p50: Number((loopDelay.percentile(50) / 1e6).toFixed(1)), p99: Number((loopDelay.percentile(99) / 1e6).toFixed(1)) },
  },
  loadAverage: (await import('node:os')).loadavg().map((l) => Number(l.toFixed(2))),
};
console.log(JSON.stringify(report, null, 2));
const verdict = report.mappedPerSecond >= 0.95 * report.offeredPerSecond && report.readingToStateMs.p99 < 100;
console.log(`target (sustained: mapped >= 95% of offered, p99 < 100 ms): ${verdict ? 'MET' : 'NOT MET'}`);

} finally {
  await Promise.allSettled(clients.map(({ client }) => client.endAsync(true)));
  if (gatewayProc.exitCode === null) {
    gatewayProc.kill('SIGTERM');
    await new Promise((r) => gatewayProc.once('exit', r));
  }
  await stack.stop();
}
