// Slow consumers (issue #10 item 7): a WebSocket or SSE client that never reads is disconnected
// once its unsent data passes maxClientBufferBytes, with a log line; other clients stay served
// and every write is kept.
import { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { freshNamespace, onlyOurs, restUrl, startTarget, waitFor, waitForAsync, type Target } from './harness.js';
import { openSse } from './sse-client.js';

const LIMIT = 256 * 1024;
const PAYLOAD = 'x'.repeat(100 * 1024);
let target: Target;
const lines: string[] = [];
beforeAll(async () => {
  target = await startTarget({ maxClientBufferBytes: LIMIT, log: (l) => lines.push(l) });
});
afterAll(async () => {
  await target.stop();
});

/** Writes 100 KiB values until `done()` (at most `max` writes, ~100 KiB each). */
async function writeUntil(url: (i: number) => string, done: () => boolean, max = 400): Promise<number> {
  let i = 0;
  for (; i < max && !done(); i++) {
    const res = await fetch(url(i), { method: 'PUT', body: JSON.stringify(PAYLOAD + i) });
    expect(res.status).toBe(200);
  }
  return i;
}

describe('slow consumers', () => {
  it('drops an SSE client that never reads; a reading client gets every event', async () => {
    if (!onlyOurs('maxClientBufferBytes is an rtdb-emulator option')) return;
    const ns = freshNamespace();
    const [host, port] = target.hostPort.split(':') as [string, string];
    const slow = new Socket();
    await new Promise<void>((resolve) => slow.connect(Number(port), host, resolve));
    slow.write(`GET /s/v.json?ns=${ns} HTTP/1.1\r\nHost: ${target.hostPort}\r\nAccept: text/event-stream\r\n\r\n`);
    let slowClosed = false;
    slow.on('close', () => (slowClosed = true));
    slow.pause(); // never reads: the kernel buffers fill, then the server's
    const fast = await openSse(restUrl(target, 's', ns));
    try {
      await fast.next((e) => e.event === 'put');
      const dropped = (): boolean => lines.some((l) => l.includes('slow-consumer-dropped') && l.includes('transport=sse') && l.includes(ns));
      const writes = await writeUntil((i) => restUrl(target, `s/v`, ns) + `&i=${i}`, dropped);
      expect(dropped()).toBe(true);
      // The reader got the last value; the data is all there.
      const last = PAYLOAD + (writes - 1);
      await fast.next((e) => e.event === 'put' && (e.data as { data: unknown }).data === last, 10_000);
      expect(await (await fetch(restUrl(target, 's/v', ns))).json()).toBe(last);
      slow.resume();
      await waitFor(() => slowClosed, 10_000, 'the slow SSE socket to be closed');
    } finally {
      fast.close();
      slow.destroy();
    }
  });

  it('drops a WebSocket client that never reads, running its onDisconnect', async () => {
    if (!onlyOurs('maxClientBufferBytes is an rtdb-emulator option')) return;
    const ns = freshNamespace();
    const ws = new WebSocket(`ws://${target.hostPort}/.ws?v=5&ns=${ns}`);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
    ws.send(JSON.stringify({ t: 'd', d: { r: 1, a: 'o', b: { p: '/gone', d: true } } }));
    ws.send(JSON.stringify({ t: 'd', d: { r: 2, a: 'q', b: { p: '/w', h: '' } } }));
    await new Promise((r) => setTimeout(r, 50));
    (ws as unknown as { _socket: Socket })._socket.pause();
    const dropped = (): boolean => lines.some((l) => l.includes('slow-consumer-dropped') && l.includes('transport=websocket') && l.includes(ns));
    await writeUntil((i) => restUrl(target, 'w/v', ns) + `&i=${i}`, dropped);
    expect(dropped()).toBe(true);
    (ws as unknown as { _socket: Socket })._socket.resume();
    await closed;
    await waitForAsync(async () => (await (await fetch(restUrl(target, 'gone', ns))).json()) === true, 5000, 'onDisconnect of the dropped client');
  });

  it('drops a long-poll client that stops polling once its queued envelopes pass the bound', async () => {
    if (!onlyOurs('maxClientBufferBytes is an rtdb-emulator option')) return;
    const ns = freshNamespace();
    const base = `http://${target.hostPort}/.lp`;
    const start = await (await fetch(`${base}?start=t&ser=1&cb=7&v=5&ns=${ns}`)).text();
    const [, id, pw] = /pLPCommand\("start","([^"]+)","([^"]+)"\)/.exec(start) ?? [];
    expect(id).toBeDefined();
    // A listen on /l and an onDisconnect, sent as one segment of one poll (BrowserPollConnection).
    const seg = (m: object): string => Buffer.from(JSON.stringify(m)).toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=/g, '.');
    const listen = seg({ t: 'd', d: { r: 1, a: 'q', b: { p: '/l', h: '' } } });
    const onDisconnect = seg({ t: 'd', d: { r: 2, a: 'o', b: { p: '/lp-gone', d: true } } });
    const polled = await (await fetch(`${base}?id=${id}&pw=${pw}&ser=2&ns=${ns}&seg0=0&ts0=1&d0=${listen}&seg1=1&ts1=1&d1=${onDisconnect}`)).text();
    expect(polled).toContain('pRTLPCB');
    // No more polls: envelopes queue up until the bound is passed.
    const dropped = (): boolean => lines.some((l) => l.includes('slow-consumer-dropped') && l.includes('transport=long-poll') && l.includes(ns));
    await writeUntil((i) => restUrl(target, 'l/v', ns) + `&i=${i}`, dropped, 20);
    expect(dropped()).toBe(true);
    await waitForAsync(async () => (await (await fetch(restUrl(target, 'lp-gone', ns))).json()) === true, 5000, 'onDisconnect of the dropped long-poll client');
    // The connection is gone: a late poll is told to close.
    expect(await (await fetch(`${base}?id=${id}&pw=${pw}&ser=3&ns=${ns}&cb=7`)).text()).toContain('"close"');
  });
});
