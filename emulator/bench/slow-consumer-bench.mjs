// Slow consumers: 20 SSE clients and 20 WebSocket listeners that never read, one SSE client that
// does, and 100 KiB REST writes until every slow client is dropped (or MAX_WRITES). Prints
// writes/s, the server's peak RSS and heap, how many slow clients were dropped, memory after a
// full GC once they are gone, and whether the reading client got the last write. The server runs
// in its own process (this script forked with `server`), bound to 127.0.0.1.
import { fork } from 'node:child_process';
import { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';

/** Writes stop once every slow client is dropped, or after this many (100 KiB each). */
const MAX_WRITES = Number(process.env.BENCH_SLOW_MAX_WRITES ?? 600);
const SLOW_CLIENTS = 20;
const PAYLOAD = 'x'.repeat(100 * 1024);

if (process.argv[2] === 'server') {
  const { startEmulator } = await import('../dist/index.js');
  let dropped = 0;
  const emu = await startEmulator({ port: 0, log: (line) => (dropped += line.includes('slow-consumer-dropped') ? 1 : 0) });
  let peakRss = 0;
  let peakHeap = 0;
  setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, 50).unref();
  process.on('message', async (m) => {
    if (m === 'dropped') process.send({ type: 'dropped', dropped });
    if (m === 'stats') {
      // Memory once the slow clients are gone: their buffers must be returned.
      globalThis.gc?.();
      globalThis.gc?.();
      const now = process.memoryUsage();
      process.send({ type: 'stats', dropped, peakRss, peakHeap, heapAfter: now.heapUsed, rssAfter: now.rss });
    }
    if (m === 'stop') {
      await emu.stop();
      process.exit(0);
    }
  });
  process.send({ type: 'ready', url: emu.url, hostPort: emu.hostPort });
} else {
  const server = fork(fileURLToPath(import.meta.url), ['server'], { execArgv: ['--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const next = (type) => new Promise((resolve) => server.on('message', function on(m) { if (m.type === type) { server.off('message', on); resolve(m); } }));
  const { url, hostPort } = await next('ready');
  const ns = 'bench-slow';
  const [host, port] = hostPort.split(':');
  const slow = [];
  for (let i = 0; i < SLOW_CLIENTS; i++) {
    const s = new Socket();
    await new Promise((r) => s.connect(Number(port), host, r));
    s.write(`GET /v.json?ns=${ns} HTTP/1.1\r\nHost: ${hostPort}\r\nAccept: text/event-stream\r\n\r\n`);
    s.on('error', () => {});
    s.pause();
    slow.push(s);
    const ws = new WebSocket(`ws://${hostPort}/.ws?v=5&ns=${ns}`);
    await new Promise((r) => ws.once('open', r));
    ws.on('error', () => {});
    ws.send(JSON.stringify({ t: 'd', d: { r: 1, a: 'q', b: { p: '/v', h: '' } } }));
    setTimeout(() => ws._socket.pause(), 20);
  }
  // One client that reads: it must see the last write.
  let lastSeen = '';
  const controller = new AbortController();
  const res = await fetch(`${url}/v.json?ns=${ns}`, { headers: { Accept: 'text/event-stream' }, signal: controller.signal });
  const reader = res.body.getReader();
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let i;
        while ((i = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, i);
          buffer = buffer.slice(i + 2);
          const data = block.split('\n').find((l) => l.startsWith('data: '));
          if (data) lastSeen = JSON.parse(data.slice(6))?.data ?? lastSeen;
        }
      }
    } catch {
      // aborted
    }
  })();
  const startedMs = Date.now();
  let writes = 0;
  let last = '';
  let allDropped = false;
  const writer = async () => {
    while (!allDropped && writes < MAX_WRITES) {
      const value = PAYLOAD + writes++;
      const r = await fetch(`${url}/v.json?ns=${ns}`, { method: 'PUT', body: JSON.stringify(value) });
      if (r.status !== 200) throw new Error(`write failed: ${r.status}`);
      last = value;
      if (writes % 10 === 0) {
        server.send('dropped');
        allDropped = (await next('dropped')).dropped >= 2 * SLOW_CLIENTS;
      }
    }
  };
  await Promise.all([writer(), writer(), writer(), writer()]);
  const elapsedS = (Date.now() - startedMs) / 1000;
  const deadline = Date.now() + 10_000;
  while (lastSeen !== last && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  server.send('stats');
  const stats = await next('stats');
  const mib = (n) => (n / 2 ** 20).toFixed(0);
  console.log(`slow consumers: ${SLOW_CLIENTS} SSE + ${SLOW_CLIENTS} WebSocket clients that never read; ${writes} writes of 100 KiB in ${elapsedS.toFixed(1)} s`);
  console.log(`  ${(writes / elapsedS).toFixed(0)} writes/s (${((writes * PAYLOAD.length) / elapsedS / 2 ** 20).toFixed(0)} MiB/s); server peak RSS ${mib(stats.peakRss)} MiB, peak heap ${mib(stats.peakHeap)} MiB`);
  console.log(`  slow clients dropped: ${stats.dropped} of ${2 * SLOW_CLIENTS}; the reading client got the last write: ${lastSeen === last ? 'yes' : 'NO'}`);
  console.log(`  after the drops and a full GC: heap ${mib(stats.heapAfter)} MiB, RSS ${mib(stats.rssAfter)} MiB`);
  controller.abort();
  for (const s of slow) s.destroy();
  server.send('stop');
  await new Promise((r) => server.once('exit', r));
  process.exit(0);
}
