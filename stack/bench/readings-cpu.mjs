// CPU cost of the reading path, steadier than latency on a shared machine: N devices write
// readings over REST at a fixed total rate into the stack's RTDB emulator + functions host (child
// processes, as `npm start` runs them), each with an SSE stream on its state; the bench counts the
// states that come back. Prints CPU time per reading of the database server process and of the
// functions worker, readings/s mapped, reading → state latency (PUT sent → SSE event here) and
// this process's own event-loop delay. No Auth emulator and no device-sim: tokens are unsigned
// emulator tokens (`alg: none`, emulator/README.md "Identities"), so nothing but the path is timed.
//   BENCH_DEVICES=1000 BENCH_RATE=1000 BENCH_SECONDS=20 node bench/readings-cpu.mjs
import '../dist/env.js';
import http from 'node:http';
import { loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { DEFAULT_CONFIG } from '@firelink/model';
import { functionsIdle, processCpuMs, startStack, treeCpuMs } from '../dist/index.js';

const DEVICES = Number(process.env.BENCH_DEVICES ?? 1000);
const RATE = Number(process.env.BENCH_RATE ?? 1000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 5);
const TICK_MS = 10;

const stack = await startStack({ ports: 'free', processes: 'child', functions: true, auth: false, logInvocations: false });
const [host, port] = stack.hosts.database.split(':');
const ns = stack.namespace;
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
const dbPid = stack.services().find((s) => s.name === 'database').pid;

function token(deviceId) {
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const uid = `device-${deviceId}`;
  return `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: uid, user_id: uid, device: deviceId, iat: now, exp: now + 3600 })}.`;
}

function request(method, path, auth, body) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      { host, port, method, agent, path: `/${path}.json?ns=${ns}&print=silent`, headers: { authorization: `Bearer ${auth}`, ...(data ? { 'content-type': 'application/json' } : {}) } },
      (res) => {
        res.resume();
        res.on('end', () => (res.statusCode < 300 ? resolve() : reject(new Error(`${method} ${path}: HTTP ${res.statusCode}`))));
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

const devices = Array.from({ length: DEVICES }, (_, i) => {
  const id = `cpu-${String(i + 1).padStart(5, '0')}`;
  return { id, token: token(id), seq: 0, sentAt: new Map() };
});
// Configs and metas as provisioning writes them, in one admin update (the meta's owner gets the
// fleet summary each mapped reading also writes; BENCH_NO_META=1 leaves it out).
const createdAt = Date.now();
const setup = devices.flatMap((d) => [
  [`${d.id}/config`, DEFAULT_CONFIG],
  ...(process.env.BENCH_NO_META === '1' ? [] : [[`${d.id}/meta`, { name: d.id, owner: 'bench-owner', createdAt }]]),
]);
await request('PATCH', 'devices', 'owner', Object.fromEntries(setup));

let measuring = false;
const latencies = [];
let mapped = 0;
let failed = 0;
const streams = [];
function openStream(device) {
  return new Promise((resolve, reject) => {
    const req = http.get(
      { host, port, path: `/devices/${device.id}/state.json?ns=${ns}&auth=${device.token}`, headers: { accept: 'text/event-stream' } },
      (res) => {
        res.setEncoding('utf8');
        let buffer = '';
        res.on('data', (chunk) => {
          buffer += chunk;
          let end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const event = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const m = /"readingId":"([^"]+)"/.exec(event);
            const started = m ? device.sentAt.get(m[1]) : undefined;
            if (started === undefined) continue;
            device.sentAt.delete(m[1]);
            if (!measuring) continue;
            mapped++;
            latencies.push(performance.now() - started);
          }
        });
        resolve();
      },
    );
    req.on('error', reject);
    streams.push(req);
  });
}
for (let i = 0; i < devices.length; i += 100) await Promise.all(devices.slice(i, i + 100).map(openStream));

const loop = monitorEventLoopDelay({ resolution: 10 });
let next = 0;
let carry = 0;
function tick() {
  carry += (RATE * TICK_MS) / 1000;
  for (; carry >= 1; carry--) {
    const device = devices[next++ % devices.length];
    device.seq += 1;
    const readingId = `r${String(device.seq).padStart(8, '0')}`;
    device.sentAt.set(readingId, performance.now());
    request('PUT', `devices/${device.id}/readings/${readingId}`, device.token, { ir: (device.seq * 37) % 4096, seq: device.seq }).catch(() => failed++);
  }
}
const timer = setInterval(tick, TICK_MS);
await new Promise((r) => setTimeout(r, WARMUP_SECONDS * 1000));
measuring = true;
loop.enable();
const cpu0 = { server: processCpuMs(dbPid), tree: treeCpuMs(dbPid) };
const t0 = performance.now();
await new Promise((r) => setTimeout(r, SECONDS * 1000));
const wallMs = performance.now() - t0;
const cpu1 = { server: processCpuMs(dbPid), tree: treeCpuMs(dbPid) };
measuring = false;
loop.disable();
clearInterval(timer);
await functionsIdle(stack);

latencies.sort((a, b) => a - b);
const pct = (p) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))].toFixed(1) : 'n/a');
const serverMs = cpu1.server - cpu0.server;
const workerMs = cpu1.tree - cpu1.server - (cpu0.tree - cpu0.server);
const perReading = (ms) => ((ms / Math.max(1, mapped)) * 1000).toFixed(0);
console.log(`${DEVICES} devices, ${RATE} readings/s offered for ${SECONDS} s (after ${WARMUP_SECONDS} s warm-up)`);
console.log(`mapped ${(mapped / (wallMs / 1000)).toFixed(0)}/s (${mapped}), write errors ${failed}`);
console.log(`reading → state p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms`);
console.log(`CPU per mapped reading: database server ${perReading(serverMs)} µs, functions worker ${perReading(workerMs)} µs; ` +
  `of one core: server ${((serverMs / wallMs) * 100).toFixed(0)} %, worker ${((workerMs / wallMs) * 100).toFixed(0)} %`);
console.log(`bench event-loop delay p50 ${(loop.percentile(50) / 1e6).toFixed(1)} ms, p99 ${(loop.percentile(99) / 1e6).toFixed(1)} ms`);
console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
// The summary the readings kept (docs/backend.md "Fleet summary"): entries whose state is there.
const fleet = await new Promise((resolve, reject) => {
  http.get({ host, port, agent, path: `/fleets/bench-owner.json?ns=${ns}`, headers: { authorization: 'Bearer owner' } }, (res) => {
    let body = '';
    res.on('data', (c) => (body += c));
    res.on('end', () => (res.statusCode < 300 ? resolve(JSON.parse(body) ?? {}) : reject(new Error(`fleets: HTTP ${res.statusCode} ${body}`))));
  }).on('error', reject);
});
console.log(`fleet summary entries with a state: ${Object.values(fleet).filter((e) => e?.state !== undefined).length} of ${DEVICES}`);
for (const s of streams) s.destroy();
agent.destroy();
await stack.stop();
