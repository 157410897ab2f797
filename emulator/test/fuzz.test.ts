// Fuzz-style bad input: garbage frames, malformed envelopes, unknown actions, invalid keys,
// oversized and over-deep payloads, abrupt disconnects mid-message. Each gets an error (or is
// ignored), no data is lost, and the server keeps serving everyone else.
import { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshNamespace, onlyOurs, restUrl, startTarget, type Target } from './harness.js';
import { isReply, request, wireConnect } from './wire-client.js';

let target: Target;
beforeAll(async () => {
  target = await startTarget();
});
afterAll(async () => {
  await target.stop();
});

/** Deterministic PRNG (mulberry32) so a failing run can be replayed. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomValue(rand: () => number, depth = 0): unknown {
  const k = Math.floor(rand() * 9);
  switch (k) {
    case 0:
      return null;
    case 1:
      return rand() < 0.5;
    case 2:
      return Math.floor(rand() * 1e6) - 5e5;
    case 3:
      return String.fromCharCode(...Array.from({ length: Math.floor(rand() * 12) }, () => Math.floor(rand() * 0x7f)));
    case 4:
      return { '.sv': rand() < 0.5 ? 'bogus' : { increment: 'x' } };
    case 5:
      return { '.priority': { a: 1 }, '.value': 1 };
    default: {
      if (depth > 3) return 1;
      const o: Record<string, unknown> = {};
      const n = Math.floor(rand() * 4);
      for (let i = 0; i < n; i++) {
        const badKeys = ['a.b', 'x/y', '$', '#', '[', ']', '', 'ok', 'fine', '\u0001'];
        o[badKeys[Math.floor(rand() * badKeys.length)]!] = randomValue(rand, depth + 1);
      }
      return o;
    }
  }
}

async function healthy(ns: string): Promise<unknown> {
  const res = await fetch(restUrl(target, 'keep', ns));
  expect(res.status).toBe(200);
  return res.json();
}

describe('WebSocket garbage', () => {
  it('survives random frames and envelopes; valid requests on the same socket still work', async () => {
    const ns = freshNamespace();
    await fetch(restUrl(target, 'keep', ns), { method: 'PUT', body: '{"safe":true}' });
    const c = await wireConnect(target.hostPort, `v=5&ns=${ns}`);
    const rand = rng(42);
    const garbage: (string | object)[] = [
      'not json',
      '{"t":',
      '[]',
      'null',
      '3', // a count frame whose chunks do not make JSON
      '{"t":',
      'garbage',
      '}}',
      '{"t":"x"}',
      '{"t":"d"}',
      '{"t":"d","d":null}',
      '{"t":"c","d":{"t":"zz"}}',
      request(1, 'nonsense', {}),
      request(2, 'p', { d: 1 }),
      request(3, 'p', { p: '/a.b', d: 1 }),
      request(4, 'q', { p: '/x', q: { l: -3, vf: 'l' } }),
      request(5, 'm', { p: '/x', d: 7 }),
      request(6, 'm', { p: '/x', d: { a: 1, 'a/b': 2 } }),
      request(7, 'g', { p: 5 }),
    ];
    try {
      for (const g of garbage) c.send(g);
      for (let i = 0; i < 200; i++) {
        c.send(request(100 + i, ['p', 'm', 'q', 'g', 'o', 'om'][i % 6]!, { p: '/fz/' + i, d: randomValue(rand), q: randomValue(rand) }));
      }
      c.send(request(999, 'p', { p: '/after', d: 'still works' }));
      const reply = await c.next(isReply(999), 0, 20_000);
      expect(reply).toEqual({ t: 'd', d: { r: 999, b: { s: 'ok', d: '' } } });
      for (const r of [1, 2, 3, 4, 5, 6, 7]) {
        const m = c.messages[c.indexOf(isReply(r))] as { d: { b: { s: string; d: string } } };
        expect(m, `reply ${r}`).toBeDefined();
        expect(m.d.b.s, `reply ${r}`).not.toBe('ok');
        expect(m.d.b.d.length, `reply ${r} explains`).toBeGreaterThan(5);
      }
      expect(await healthy(ns)).toEqual({ safe: true });
    } finally {
      await c.close();
    }
  });

  it('rejects an over-deep write and an oversized message with errors, keeping the socket', async () => {
    const ns = freshNamespace();
    const c = await wireConnect(target.hostPort, `v=5&ns=${ns}`);
    try {
      let deep: unknown = 1;
      for (let i = 0; i < 40; i++) deep = { d: deep };
      c.send(request(1, 'p', { p: '/deep', d: deep }));
      const r1 = (await c.next(isReply(1))) as { d: { b: { s: string; d: string } } };
      expect(r1.d.b.s).not.toBe('ok');
      if (onlyOurs('message size limit wording is ours')) {
        const text = JSON.stringify(request(2, 'p', { p: '/huge', d: 'h'.repeat(17 * 1024 * 1024) }));
        const chunks: string[] = [];
        for (let i = 0; i < text.length; i += 16384) chunks.push(text.slice(i, i + 16384));
        c.send(String(chunks.length));
        for (const chunk of chunks) c.send(chunk);
        const r2 = (await c.next(isReply(2), 0, 20_000)) as { d: { b: { s: string; d: string } } };
        expect(r2.d.b).toEqual({ s: 'too_big', d: expect.stringMatching(/16 MB/) as unknown });
      }
      c.send(request(3, 'p', { p: '/ok', d: 1 }));
      expect(await c.next(isReply(3), 0, 10_000)).toEqual({ t: 'd', d: { r: 3, b: { s: 'ok', d: '' } } });
    } finally {
      await c.close();
    }
  });

  it('an abrupt disconnect mid-message loses nothing and disturbs no one', async () => {
    const ns = freshNamespace();
    await fetch(restUrl(target, 'keep', ns), { method: 'PUT', body: '{"safe":true}' });
    const other = await wireConnect(target.hostPort, `v=5&ns=${ns}`);
    for (let i = 0; i < 5; i++) {
      const c = await wireConnect(target.hostPort, `v=5&ns=${ns}`);
      c.send('3');
      c.send('{"t":"d","d":{"r":1,"a":"p","b":{"p":"/keep","d":');
      c.ws.terminate();
    }
    // A raw TCP client that dies in the middle of an HTTP upgrade and of a REST body.
    await new Promise<void>((resolve) => {
      const s = new Socket();
      s.connect(Number(target.hostPort.split(':')[1]), target.hostPort.split(':')[0]!, () => {
        s.write(`PUT /keep.json?ns=${ns} HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{"safe":fal`);
        s.destroy();
        resolve();
      });
    });
    try {
      other.send(request(1, 'g', { p: '/keep', q: {} }));
      expect(await other.next(isReply(1))).toEqual({ t: 'd', d: { r: 1, b: { s: 'ok', d: { safe: true } } } });
      expect(await healthy(ns)).toEqual({ safe: true });
    } finally {
      await other.close();
    }
  });
});

describe('REST garbage', () => {
  it('answers every bad request with a JSON error and keeps the data', async () => {
    const ns = freshNamespace();
    await fetch(restUrl(target, 'keep', ns), { method: 'PUT', body: '{"safe":true}' });
    const rand = rng(7);
    const bodies = ['', '{', 'nul', '{"a":}', '[1,,2]', '"unterminated', '{"a.b":1}', '{"$x":1}', '{"ok":{"x/y":1}}'];
    for (let i = 0; i < 60; i++) bodies.push(JSON.stringify(randomValue(rand)));
    let errors = 0;
    for (const body of bodies) {
      for (const method of ['PUT', 'PATCH', 'POST']) {
        const res = await fetch(restUrl(target, 'fz', ns), { method, body });
        const text = await res.text();
        expect(() => JSON.parse(text) as unknown, `${method} ${body} → ${text}`).not.toThrow();
        if (res.status >= 400) {
          errors++;
          expect(res.status, `${method} ${body}`).toBeLessThan(500);
          expect(typeof (JSON.parse(text) as { error?: unknown }).error).toBe('string');
        }
      }
    }
    expect(errors).toBeGreaterThan(20);
    for (const path of ['a.b', 'x$', '%E0%A4%A']) {
      const res = await fetch(`http://${target.hostPort}/${path}.json?ns=${ns}`, { method: 'PUT', body: '1' });
      expect(res.status, path).toBe(400);
    }
    const res = await fetch(restUrl(target, 'keep', ns), { method: 'PUT', body: 'x'.repeat(100), headers: { 'Content-Type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(await healthy(ns)).toEqual({ safe: true });
  });
});
