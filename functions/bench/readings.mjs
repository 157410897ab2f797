// Reading-to-state figures through our emulator and the functions host: latency of one reading
// (device write -> state visible to a listener), throughput of a backlog upload, and function
// writes per reading. Prints figures; asserts nothing. Run: npm run bench -w functions
import '@firelink/stack/env';

const { startStack } = await import('@firelink/stack');

const SEQUENTIAL = Number(process.env.BENCH_SEQUENTIAL ?? 50);
const BACKLOG = Number(process.env.BENCH_BACKLOG ?? 200);

// The database-only stack in this process (the bench counts the emulator's commits).
const stack = await startStack({ processes: 'in-process', auth: false, functions: true });
const emulator = stack.emulator;
const PROJECT_ID = stack.projectId;
const NS = stack.namespace;

const adminApp = await import('firebase-admin/app');
const adminDb = await import('firebase-admin/database');
const clientApp = await import('firebase/app');
const clientDb = await import('firebase/database');
clientApp.setLogLevel('error');

const admin = adminDb.getDatabase(adminApp.initializeApp({ projectId: PROJECT_ID, databaseURL: `http://${emulator.hostPort}?ns=${NS}` }, 'bench-admin'));
const app = clientApp.initializeApp({ projectId: PROJECT_ID, apiKey: 'demo-key', databaseURL: `https://${NS}.firebaseio.com` }, 'bench-device');
const device = clientDb.getDatabase(app);
clientDb.connectDatabaseEmulator(device, emulator.host, emulator.port, { mockUserToken: { sub: 'device-bench-1', device: 'bench-1' } });

let functionWrites = 0;
emulator.commits.onCommit((w) => {
  const byFunctions = w.identity.kind === 'admin' || (w.identity.kind === 'user' && w.identity.auth.token?.firelinkFunctions === true);
  if (byFunctions && w.namespace === NS && w.paths.some((p) => p[1] === 'bench-1')) functionWrites += 1;
});

await admin.ref().update({
  'users/bench-owner/devices/bench-1': true,
  'devices/bench-1/meta': { name: 'bench', owner: 'bench-owner', createdAt: Date.now() },
  'devices/bench-1/config': { mapping: { inMin: 0, inMax: 4095, outMin: 0, outMax: 180, invert: false }, sampleMs: 1000, heartbeatMs: 30000 },
});
await new Promise((r) => setTimeout(r, 200));
functionWrites = 0;

/** Resolves when the device's state reaches `seq` (seen by the device's own listener, as on the ESP32). */
function stateReaches(seq) {
  return new Promise((resolve) => {
    const stateRef = clientDb.ref(device, 'devices/bench-1/state/seq');
    const off = clientDb.onValue(stateRef, (snap) => {
      if (snap.val() !== null && snap.val() >= seq) {
        off();
        resolve();
      }
    });
  });
}

let seq = 0;
const latencies = [];
// Warm-up: the first event loads the functions worker's modules.
seq += 1;
await Promise.all([stateReaches(seq), clientDb.set(clientDb.ref(device, `devices/bench-1/readings/w${seq}`), { ir: 1, seq })]);
await fetch(`${emulator.url}/.functions/idle?timeoutMs=60000`, { method: 'POST' });
functionWrites = 0;
for (let i = 0; i < SEQUENTIAL; i++) {
  seq += 1;
  const started = performance.now();
  const reached = stateReaches(seq);
  await clientDb.set(clientDb.ref(device, `devices/bench-1/readings/s${seq}`), { ir: (i * 97) % 4096, seq });
  await reached;
  latencies.push(performance.now() - started);
}
await fetch(`${emulator.url}/.functions/idle?timeoutMs=60000`, { method: 'POST' });
const sequentialWrites = functionWrites;

const backlog = {};
const firstBacklogSeq = seq + 1;
for (let i = 0; i < BACKLOG; i++) {
  seq += 1;
  backlog[`b${String(seq).padStart(6, '0')}`] = { ir: (i * 31) % 4096, seq };
}
functionWrites = 0;
const started = performance.now();
const reached = stateReaches(seq);
await clientDb.update(clientDb.ref(device, 'devices/bench-1/readings'), backlog);
await reached;
const backlogMs = performance.now() - started;
await fetch(`${emulator.url}/.functions/idle?timeoutMs=60000`, { method: 'POST' });
const readings = (await admin.ref('devices/bench-1/readings').orderByChild('seq').startAt(firstBacklogSeq).get()).val() ?? {};
const stamped = Object.values(readings).filter((r) => typeof r.ts === 'number').length;

latencies.sort((a, b) => a - b);
const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))].toFixed(1);
console.log(`reading -> state (device write to device listener), ${SEQUENTIAL} sequential readings: p50 ${pct(50)} ms, p95 ${pct(95)} ms, max ${pct(100)} ms`);
console.log(`function writes per reading (sequential): ${(sequentialWrites / SEQUENTIAL).toFixed(2)}`);
console.log(`backlog of ${BACKLOG} readings in one multi-path write: state current after ${backlogMs.toFixed(0)} ms (${((BACKLOG / backlogMs) * 1000).toFixed(0)} readings/s); ${stamped}/${BACKLOG} stamped; function writes per reading ${(functionWrites / BACKLOG).toFixed(2)}`);

clientDb.goOffline(device);
await clientApp.deleteApp(app);
await adminApp.deleteApp(adminApp.getApp('bench-admin'));
await stack.stop();
