// Conformance: REST streaming with Server-Sent Events (docs/protocol.md §13).
import { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshNamespace, onlyOurs, restUrl, startTarget, type Target } from './harness.js';
import { openSse } from './sse-client.js';

let target: Target;
beforeAll(async () => {
  target = await startTarget({ sseKeepAliveSeconds: 0.2 });
});
afterAll(async () => {
  await target.stop();
});

const put = (url: string, body: unknown): Promise<Response> => fetch(url, { method: 'PUT', body: JSON.stringify(body) });

describe('SSE streaming', () => {
  it('starts with a put at "/", then put and patch events relative to the stream', async () => {
    const ns = freshNamespace();
    await put(restUrl(target, 'dev/state', ns), { angle: 10 });
    const s = await openSse(restUrl(target, 'dev', ns));
    try {
      expect(s.status).toBe(200);
      expect(s.contentType).toMatch(/text\/event-stream/);
      expect(await s.next((e) => e.event === 'put')).toEqual({ event: 'put', data: { path: '/', data: { state: { angle: 10 } } } });
      await put(restUrl(target, 'dev/state/angle', ns), 20);
      expect(await s.next((e) => e.event === 'put' && (e.data as { path: string }).path !== '/')).toEqual({
        event: 'put',
        data: { path: '/state/angle', data: 20 },
      });
      await fetch(restUrl(target, 'dev/state', ns), { method: 'PATCH', body: JSON.stringify({ angle: 30, ir: 5 }) });
      expect(await s.next((e) => e.event === 'patch')).toEqual({ event: 'patch', data: { path: '/state', data: { angle: 30, ir: 5 } } });
      // A write above the stream's location arrives as a put at "/".
      await put(restUrl(target, '', ns), { dev: { x: 1 } });
      expect(await s.next((e) => e.event === 'put' && (e.data as { path: string }).path === '/', 5000, 1)).toEqual({
        event: 'put',
        data: { path: '/', data: { x: 1 } },
      });
    } finally {
      s.close();
    }
  });

  it('events use bare \\n line endings', async () => {
    const ns = freshNamespace();
    const s = await openSse(restUrl(target, 'a', ns));
    try {
      await s.next((e) => e.event === 'put');
      const text = s.raw.join('');
      expect(text.startsWith('event: put\ndata: ')).toBe(true);
      expect(text).not.toContain('\r');
    } finally {
      s.close();
    }
  });

  it('serves firmware-style HTTP/1.0 and chunked HTTP/1.1 readers: whole events per chunk, no redirect', async () => {
    const ns = freshNamespace();
    await put(restUrl(target, 'dev', ns), { angle: 1 });
    const [host, port] = target.hostPort.split(':') as [string, string];
    const raw = (version: string) =>
      new Promise<string>((resolve, reject) => {
        const socket = new Socket();
        let text = '';
        socket.connect(Number(port), host, () => {
          socket.write(`GET /dev.json?ns=${ns} HTTP/${version}\r\nHost: ${target.hostPort}\r\nAccept: text/event-stream\r\n\r\n`);
        });
        socket.on('data', (d: Buffer) => {
          text += d.toString('latin1');
          if (text.includes('"data":2}\n\n')) {
            socket.destroy();
            resolve(text);
          }
        });
        socket.on('error', reject);
        setTimeout(() => void put(restUrl(target, 'dev/angle', ns), 2), 200);
      });
    const http10 = await raw('1.0');
    expect(http10.startsWith('HTTP/1.1 200')).toBe(true);
    expect(http10.toLowerCase()).not.toContain('transfer-encoding: chunked');
    expect(http10).toContain('event: put\ndata: {"path":"/","data":{"angle":1}}\n\n');
    const http11 = await raw('1.1');
    const body = http11.slice(http11.indexOf('\r\n\r\n') + 4);
    // Chunked framing: size line, payload, CRLF. Every payload must hold whole events.
    const payloads: string[] = [];
    for (let rest = body; rest.length > 0; ) {
      const eol = rest.indexOf('\r\n');
      const size = parseInt(rest.slice(0, eol), 16);
      payloads.push(rest.slice(eol + 2, eol + 2 + size));
      rest = rest.slice(eol + 2 + size + 2);
    }
    expect(payloads.length).toBeGreaterThanOrEqual(2);
    for (const p of payloads) expect(p, JSON.stringify(p)).toMatch(/^(event: [a-z_-]+\ndata: .*\n\n)+$/);
  });

  it('streams a query window', async () => {
    const ns = freshNamespace();
    await put(restUrl(target, 'r', ns), { a: { v: 1 }, b: { v: 2 }, c: { v: 3 } });
    const s = await openSse(restUrl(target, 'r', ns, { orderBy: '"v"', limitToLast: '2' }));
    try {
      expect((await s.next((e) => e.event === 'put')).data).toEqual({ path: '/', data: { b: { v: 2 }, c: { v: 3 } } });
      await put(restUrl(target, 'r/d', ns), { v: 4 });
      expect((await s.next((e) => e.event === 'put', 5000, 1)).data).toEqual({ path: '/', data: { c: { v: 3 }, d: { v: 4 } } });
    } finally {
      s.close();
    }
  });

  it('cancels a stream when new rules deny the read', async () => {
    if (!onlyOurs('the official emulator does not re-check streams on rules changes')) return;
    const ns = freshNamespace();
    const s = await openSse(restUrl(target, 'secret', ns));
    try {
      await s.next((e) => e.event === 'put');
      const res = await fetch(restUrl(target, '.settings/rules', ns), { method: 'PUT', headers: { Authorization: 'Bearer owner' }, body: '{"rules":{".read":false}}' });
      expect(res.status).toBe(200);
      expect(await s.next((e) => e.event === 'cancel')).toEqual({ event: 'cancel', data: 'Permission denied.' });
    } finally {
      s.close();
    }
  });

  it('cancels streams when the data their rule depends on changes, also with many listeners', async () => {
    if (!onlyOurs('the official emulator does not revoke on data changes')) return;
    for (const count of [2, 70]) {
      const ns = freshNamespace();
      await fetch(restUrl(target, 'open', ns), { method: 'PUT', body: 'true' });
      await fetch(restUrl(target, '.settings/rules', ns), {
        method: 'PUT',
        headers: { Authorization: 'Bearer owner' },
        body: JSON.stringify({ rules: { doc: { '.read': "root.child('open').val() == true" }, open: { '.write': true } } }),
      });
      const streams = await Promise.all(Array.from({ length: count }, () => openSse(restUrl(target, 'doc', ns))));
      try {
        await Promise.all(streams.map((s) => s.next((e) => e.event === 'put')));
        await fetch(restUrl(target, 'open', ns), { method: 'PUT', body: 'false' });
        const cancels = await Promise.all(streams.map((s) => s.next((e) => e.event === 'cancel')));
        expect(cancels.every((e) => e.data === 'Permission denied.')).toBe(true);
      } finally {
        streams.forEach((s) => s.close());
      }
    }
  });

  it('refuses a stream the rules deny with 401', async () => {
    const ns = freshNamespace();
    await fetch(restUrl(target, '.settings/rules', ns), { method: 'PUT', headers: { Authorization: 'Bearer owner' }, body: '{"rules":{".read":false}}' });
    const s = await openSse(restUrl(target, 'x', ns));
    expect(s.status).toBe(401);
    s.close();
  });

  it('sends keep-alive events', async () => {
    if (!onlyOurs('keep-alive interval is configurable only on rtdb-emulator (official: ~30 s)')) return;
    const s = await openSse(restUrl(target, 'k', freshNamespace()));
    try {
      expect(await s.next((e) => e.event === 'keep-alive', 3000)).toEqual({ event: 'keep-alive', data: null });
    } finally {
      s.close();
    }
  });
});
