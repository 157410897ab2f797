// Benchmark server process: our emulator (from dist/) or a bare `ws` echo server (the ceiling).
// Started with IPC by run.mjs; answers {type:'mem'} with memory usage after a full GC.
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';

const kind = process.argv[2];

async function start() {
  if (kind === 'echo') {
    const server = createServer((req, res) => {
      // Bare HTTP echo for the REST ceiling: read the body, answer it.
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': body.length });
        res.end(body);
      });
    });
    const wss = new WebSocketServer({ server, perMessageDeflate: false });
    // Echo to the sender, and to every other socket (the listener-latency ceiling).
    wss.on('connection', (ws) => {
      ws.on('message', (data) => {
        const text = data.toString();
        if (text.startsWith('B')) {
          for (const other of wss.clients) other.send(text);
        } else ws.send(text);
      });
    });
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${server.address().port}`;
  }
  const { startEmulator } = await import('../dist/index.js');
  // `durable`: the same emulator with --data-dir in a scratch folder (journal + group commit).
  let dataDir;
  if (kind === 'durable') {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    dataDir = mkdtempSync(join(tmpdir(), 'rtdb-bench-durable-'));
  }
  const emu = await startEmulator({ port: 0, log: () => {}, ...(dataDir && { dataDir }) });
  if (dataDir) {
    const { rmSync } = await import('node:fs');
    process.on('exit', () => rmSync(dataDir, { recursive: true, force: true }));
    process.on('SIGTERM', () => process.exit(0));
  }
  return emu.url;
}

const url = await start();
process.on('message', (m) => {
  if (m.type === 'cpu') process.send({ type: 'cpu', usage: process.cpuUsage() });
  if (m.type === 'mem') {
    globalThis.gc?.();
    globalThis.gc?.();
    process.send({ type: 'mem', usage: process.memoryUsage() });
  }
});
process.send({ type: 'ready', url });
