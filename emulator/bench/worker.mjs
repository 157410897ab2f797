// Benchmark client process: runs N clients of one kind and reports counts and latencies.
// Modes: write (closed-loop acknowledged writes) and listen (write-to-listener latency).
import http from 'node:http';
import net from 'node:net';
import { performance } from 'node:perf_hooks';

process.env.GCLOUD_PROJECT = 'demo-firelink';
const nowEpochMs = () => performance.timeOrigin + performance.now();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let job;
const go = new Promise((resolve) => process.on('message', (m) => (m.type === 'go' ? resolve(m) : (job = m))));
await new Promise((resolve) => {
  const check = () => (job ? resolve() : setTimeout(check, 5));
  check();
});
const { transport, mode, clients, url, ns, durationMs, warmupMs, window: inFlight, ratePerSec, role } = job;
const hostPort = url.replace('http://', '');
process.env.FIREBASE_DATABASE_EMULATOR_HOST = hostPort;

// ---- transports -------------------------------------------------------------------------
async function sdkClients(n) {
  const { initializeApp } = await import('firebase/app');
  const db = await import('firebase/database');
  const out = [];
  for (let i = 0; i < n; i++) {
    const app = initializeApp({ projectId: 'demo-firelink', databaseURL: `${url}?ns=${ns}` }, `b${process.pid}-${i}`);
    const d = db.getDatabase(app);
    await db.set(db.ref(d, `warm/${process.pid}-${i}`), 1);
    out.push({
      write: (path, value) => db.set(db.ref(d, path), value),
      listen: (path, onValue) => {
        db.onChildAdded(db.ref(d, path), (s) => onValue(s.val()));
        db.onChildChanged(db.ref(d, path), (s) => onValue(s.val()));
      },
      close: () => db.goOffline(d),
    });
  }
  return out;
}

/**
 * A minimal keep-alive HTTP/1.1 client on a raw socket (what firmware does), pipelining the
 * client's in-flight requests; its own cost is small, so the figure is about the server.
 */
function rawHttp(target) {
  const { hostname, port } = new URL(target);
  const socket = net.connect(Number(port), hostname);
  socket.setNoDelay(true);
  const waiting = [];
  let buf = Buffer.alloc(0);
  socket.on('data', (chunk) => {
    buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
    for (;;) {
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = buf.subarray(0, end).toString('latin1');
      const match = /content-length:\s*(\d+)/i.exec(head);
      const length = match ? Number(match[1]) : 0;
      if (buf.length < end + 4 + length) return;
      const status = Number(head.slice(9, 12));
      buf = buf.subarray(end + 4 + length);
      const done = waiting.shift();
      if (status === 200) done.resolve();
      else done.reject(new Error(`HTTP ${status}`));
    }
  });
  const ready = new Promise((r) => socket.once('connect', r));
  return {
    ready,
    request(method, path, body) {
      return new Promise((resolve, reject) => {
        waiting.push({ resolve, reject });
        socket.write(`${method} ${path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
      });
    },
    close: () => socket.destroy(),
  };
}

async function restClients(n) {
  const out = [];
  for (let i = 0; i < n; i++) {
    const conn = rawHttp(url);
    await conn.ready;
    out.push({
      write: (path, value) => conn.request('PUT', `/${path}.json?ns=${ns}`, JSON.stringify(value)),
      listen: (path, onValue) => {
        const req = http.request(`${url}/${path}.json?ns=${ns}`, { headers: { Accept: 'text/event-stream' } }, (res) => {
          let buf = '';
          res.setEncoding('utf8');
          res.on('data', (chunk) => {
            buf += chunk;
            let idx;
            while ((idx = buf.indexOf('\n\n')) >= 0) {
              const block = buf.slice(0, idx);
              buf = buf.slice(idx + 2);
              if (!block.startsWith('event: put')) continue;
              const data = JSON.parse(block.slice(block.indexOf('data: ') + 6));
              if (data.path !== '/' && data.data && typeof data.data.t === 'number') onValue(data.data);
            }
          });
        });
        req.end();
      },
      close: () => conn.close(),
    });
  }
  return out;
}

async function echoClients(n) {
  const { default: WebSocket } = await import('ws');
  const out = [];
  for (let i = 0; i < n; i++) {
    const ws = new WebSocket(`${url.replace('http', 'ws')}/`);
    await new Promise((r) => ws.once('open', r));
    const pending = [];
    let listener = null;
    ws.on('message', (data) => {
      const text = data.toString();
      if (text.startsWith('B')) {
        listener?.(JSON.parse(text.slice(1)));
        return;
      }
      pending.shift()?.();
    });
    out.push({
      write: (path, value, broadcast) =>
        new Promise((resolve) => {
          if (broadcast) {
            ws.send('B' + JSON.stringify(value));
            resolve();
          } else {
            pending.push(resolve);
            ws.send(JSON.stringify({ path, value }));
          }
        }),
      listen: (_path, onValue) => {
        listener = onValue;
      },
      close: () => ws.close(),
    });
  }
  return out;
}

const make = transport === 'sdk' ? sdkClients : transport === 'rest' ? restClients : echoClients;
const cs = await make(clients);
process.send({ type: 'ready' });
const start = await go;
void start;

// ---- modes ------------------------------------------------------------------------------
if (mode === 'write') {
  let acked = 0;
  let total = 0;
  const t0 = performance.now();
  const measureFrom = t0 + warmupMs;
  const end = measureFrom + durationMs;
  await Promise.all(
    cs.map(async (c, i) => {
      let seq = 0;
      const lanes = [];
      for (let lane = 0; lane < inFlight; lane++) {
        lanes.push(
          (async () => {
            while (performance.now() < end) {
              const n = seq++;
              await c.write(`bench/${process.pid}-${i}/${n % 500}`, { ir: n % 4096, seq: n, t: 1 });
              total++;
              const now = performance.now();
              if (now >= measureFrom && now < end) acked++;
            }
          })(),
        );
      }
      await Promise.all(lanes);
    }),
  );
  process.send({ type: 'result', acked, total, durationMs });
} else if (mode === 'listen' && role === 'listener') {
  const latencies = [];
  cs[0].listen('lat', (v) => {
    if (v && typeof v.t === 'number') latencies.push(nowEpochMs() - v.t);
  });
  process.on('message', (m) => {
    if (m.type === 'stop') {
      process.send({ type: 'result', latencies });
    }
  });
  process.send({ type: 'listening' });
} else if (mode === 'listen' && role === 'writer') {
  const intervalMs = 1000 / ratePerSec;
  const t0 = performance.now();
  let sent = 0;
  const total = Math.round((durationMs / 1000) * ratePerSec);
  while (sent < total) {
    const due = Math.floor((performance.now() - t0) / intervalMs) + 1;
    while (sent < Math.min(due, total)) {
      const n = sent++;
      void cs[0].write(`lat/k${n % 100}`, { t: nowEpochMs(), n }, true);
    }
    await sleep(1);
  }
  await sleep(200);
  process.send({ type: 'result', sent });
}
await new Promise((r) => process.on('message', (m) => m.type === 'exit' && r()));
for (const c of cs) c.close();
process.exit(0);
