// Golden wire vectors for the compatibility traps of docs/protocol.md §18: the exact frames the SDK
// sends (core/PersistentConnection.ts, core/realtime/*.ts) and the frames that must come back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshNamespace, onlyOurs, restUrl, startTarget, type Target } from './harness.js';
import { isPush, isReply, mockToken, request, wireConnect } from './wire-client.js';

let target: Target;
beforeAll(async () => {
  target = await startTarget();
});
afterAll(async () => {
  await target.stop();
});

const OK_EMPTY = (r: number) => ({ t: 'd', d: { r, b: { s: 'ok', d: '' } } });

async function putRules(ns: string, rules: object): Promise<void> {
  const res = await fetch(restUrl(target, '.settings/rules', ns), { method: 'PUT', headers: { Authorization: 'Bearer owner' }, body: JSON.stringify(rules) });
  expect(res.status).toBe(200);
}

describe('handshake (docs/protocol.md §3)', () => {
  it('is the first message and echoes the Host header the client used', async () => {
    const ns = freshNamespace();
    const [, port] = target.hostPort.split(':');
    const c = await wireConnect(target.hostPort, `v=5&ns=${ns}`, { Host: `localhost:${port}` });
    try {
      const h = await c.next(() => true);
      expect(h).toMatchObject({ t: 'c', d: { t: 'h', d: { v: '5', h: `localhost:${port}` } } });
      const d = (h['d'] as { d: { ts: number; s: string } }).d;
      expect(Math.abs(d.ts - Date.now())).toBeLessThan(60_000);
      expect(typeof d.s).toBe('string');
    } finally {
      await c.close();
    }
  });
});

describe('ordering traps', () => {
  it('listen: data push precedes the ok (docs/protocol.md §18)', async () => {
    const ns = freshNamespace();
    await fetch(restUrl(target, 'a', ns), { method: 'PUT', body: '{"x":1}' });
    const c = await wireConnect(target.hostPort, `v=5&ns=${ns}`);
    try {
      c.send(request(1, 'q', { p: '/a', h: '' }));
      await c.next(isReply(1));
      const push = c.indexOf(isPush('d'));
      expect(c.messages[push]).toEqual({ t: 'd', d: { a: 'd', b: { p: '/a', d: { x: 1 } } } });
      expect(push).toBeLessThan(c.indexOf(isReply(1)));
      expect(c.messages[c.indexOf(isReply(1))]).toEqual({ t: 'd', d: { r: 1, b: { s: 'ok', d: {} } } });
    } finally {
      await c.close();
    }
  });

  it('write: the push to the writer precedes its ack, server values resolved (docs/protocol.md §5, §7)', async () => {
    const ns = freshNamespace();
    const c = await wireConnect(target.hostPort, `v=5&ns=${ns}`);
    try {
      c.send(request(1, 'q', { p: '/a', h: '' }));
      await c.next(isReply(1));
      const from = c.messages.length;
      c.send(request(2, 'p', { p: '/a/b', d: { n: 1, t: { '.sv': 'timestamp' } } }));
      await c.next(isReply(2), from);
      const tail = c.messages.slice(from);
      expect(tail).toHaveLength(2);
      const push = tail[0] as { d: { a: string; b: { p: string; d: { n: number; t: number } } } };
      expect(push.d.a).toBe('d');
      expect(push.d.b.p).toBe('/a/b');
      expect(push.d.b.d.n).toBe(1);
      expect(typeof push.d.b.d.t).toBe('number');
      expect(tail[1]).toEqual(OK_EMPTY(2));
    } finally {
      await c.close();
    }
  });

  it('merge: one m push with the resolved values (docs/protocol.md §4)', async () => {
    const ns = freshNamespace();
    const c = await wireConnect(target.hostPort, `v=5&ns=${ns}`);
    try {
      c.send(request(1, 'q', { p: '/a', h: '' }));
      await c.next(isReply(1));
      const from = c.messages.length;
      c.send(request(2, 'm', { p: '/a', d: { 'c/d': 2, e: { '.sv': { increment: 3 } } } }));
      await c.next(isReply(2), from);
      expect(c.messages.slice(from)).toEqual([{ t: 'd', d: { a: 'm', b: { p: '/a', d: { 'c/d': 2, e: 3 } } } }, OK_EMPTY(2)]);
    } finally {
      await c.close();
    }
  });

  it('auth then write without waiting: the write runs with the new credential (docs/protocol.md §18)', async () => {
    const ns = freshNamespace();
    await putRules(ns, { rules: { '.read': 'auth != null', '.write': "auth.uid == 'u1'" } });
    const c = await wireConnect(target.hostPort, `v=5&ns=${ns}`);
    try {
      c.send(request(1, 's', { c: { 'sdk.node.12-9-0': 1 } }));
      c.send(request(2, 'auth', { cred: mockToken({ sub: 'u1', user_id: 'u1' }) }));
      c.send(request(3, 'p', { p: '/x', d: 1 }));
      c.send(request(4, 'unauth', {}));
      c.send(request(5, 'p', { p: '/x', d: 2 }));
      await c.next(isReply(5));
      const status = (r: number) => ((c.messages[c.indexOf(isReply(r))] as { d: { b: { s: string } } }).d.b.s);
      expect([1, 2, 3, 4, 5].map(status)).toEqual(['ok', 'ok', 'ok', 'ok', 'permission_denied']);
      expect(c.messages[c.indexOf(isReply(5))]).toEqual({ t: 'd', d: { r: 5, b: { s: 'permission_denied', d: 'Permission denied' } } });
    } finally {
      await c.close();
    }
  });
});

describe('transactions (docs/protocol.md §9)', () => {
  it('a stale hash gets datastale, the right hash gets ok', async () => {
    const ns = freshNamespace();
    await fetch(restUrl(target, 'counter', ns), { method: 'PUT', body: '5' });
    const c = await wireConnect(target.hostPort, `v=5&ns=${ns}`);
    try {
      c.send(request(1, 'p', { p: '/counter', d: 1, h: '' }));
      expect(await c.next(isReply(1))).toEqual({ t: 'd', d: { r: 1, b: { s: 'datastale', d: 'transaction hash does not match' } } });
      c.send(request(2, 'p', { p: '/counter', d: 6, h: 'w28swksk9+tXf5jEdS9R5oSFAv8=' }));
      expect(await c.next(isReply(2))).toEqual(OK_EMPTY(2));
    } finally {
      await c.close();
    }
  });
});

describe('query listens', () => {
  it('a tagged listen with sp:null gets its filtered data tagged (docs/protocol.md §18)', async () => {
    const ns = freshNamespace();
    await fetch(restUrl(target, 'v', ns), { method: 'PUT', body: JSON.stringify({ a: false, b: true, c: 1, d: 'x' }) });
    const c = await wireConnect(target.hostPort, `v=5&ns=${ns}`);
    try {
      c.send(request(1, 'q', { p: '/v', q: { sp: null, sin: true, ep: true, ein: true, i: '.value' }, t: 1, h: '' }));
      await c.next(isReply(1));
      expect(c.messages[c.indexOf(isPush('d'))]).toEqual({ t: 'd', d: { a: 'd', b: { p: '/v', d: { a: false, b: true }, t: 1 } } });
    } finally {
      await c.close();
    }
  });

  it('a revoked tagged listen gets c with q as an array (docs/protocol.md §18)', async () => {
    if (!onlyOurs('listen revocation on rules change is not implemented by the official emulator')) return;
    const ns = freshNamespace();
    const c = await wireConnect(target.hostPort, `v=5&ns=${ns}`);
    try {
      const q = { l: 2, vf: 'l', i: 'n' };
      c.send(request(1, 'q', { p: '/list', q, t: 7, h: '' }));
      await c.next(isReply(1));
      await putRules(ns, { rules: { '.read': false, '.write': false } });
      expect(await c.next(isPush('c'))).toEqual({ t: 'd', d: { a: 'c', b: { p: '/list', q: [q] } } });
    } finally {
      await c.close();
    }
  });
});

describe('frames (docs/protocol.md §2)', () => {
  it('ignores the keep-alive frame "0" and answers control pings', async () => {
    const c = await wireConnect(target.hostPort, `v=5&ns=${freshNamespace()}`);
    try {
      c.send('0');
      c.send({ t: 'c', d: { t: 'p', d: {} } });
      expect(await c.next((m) => m['t'] === 'c' && (m['d'] as { t: string }).t === 'o')).toEqual({ t: 'c', d: { t: 'o', d: {} } });
      c.send(request(1, 's', { c: {} }));
      expect(await c.next(isReply(1))).toEqual(OK_EMPTY(1));
    } finally {
      await c.close();
    }
  });

  it('reassembles split client messages and splits large server messages', async () => {
    const ns = freshNamespace();
    const c = await wireConnect(target.hostPort, `v=5&ns=${ns}`);
    try {
      const text = JSON.stringify(request(1, 'p', { p: '/big', d: 'z'.repeat(40_000) }));
      const chunks = [text.slice(0, 16384), text.slice(16384, 32768), text.slice(32768)];
      c.send(String(chunks.length));
      chunks.forEach((chunk) => c.send(chunk));
      expect(await c.next(isReply(1))).toEqual(OK_EMPTY(1));
      const before = c.frames.length;
      c.send(request(2, 'g', { p: '/big', q: {} }));
      const reply = await c.next(isReply(2));
      expect((reply as { d: { b: { d: string } } }).d.b.d).toHaveLength(40_000);
      const frames = c.frames.slice(before);
      expect(frames[0]).toBe('3');
      expect(frames.slice(1).every((f) => f.length <= 16384)).toBe(true);
    } finally {
      await c.close();
    }
  });
});

describe('get and auth replies', () => {
  it('a denied get answers permission_denied with "Permission denied" (docs/protocol.md §18)', async () => {
    const ns = freshNamespace();
    await putRules(ns, { rules: { '.read': false } });
    const c = await wireConnect(target.hostPort, `v=5&ns=${ns}`);
    try {
      c.send(request(1, 'g', { p: '/secret', q: {} }));
      expect(await c.next(isReply(1))).toEqual({ t: 'd', d: { r: 1, b: { s: 'permission_denied', d: 'Permission denied' } } });
    } finally {
      await c.close();
    }
  });

  it('a plain read counts as ordered by key in read rules; a query without i as ordered by priority', async () => {
    const ns = freshNamespace();
    await putRules(ns, {
      rules: {
        plain: { '.read': 'query.orderByKey == true && query.orderByPriority == false && query.limitToFirst == null' },
        prio: { '.read': 'query.orderByPriority == true && query.limitToFirst == 2' },
      },
    });
    const c = await wireConnect(target.hostPort, `v=5&ns=${ns}`);
    try {
      c.send(request(1, 'g', { p: '/plain', q: {} }));
      c.send(request(2, 'q', { p: '/plain', h: '' }));
      c.send(request(3, 'q', { p: '/prio', q: { l: 2, vf: 'l' }, t: 1, h: '' }));
      c.send(request(4, 'q', { p: '/prio', h: '' }));
      await c.next(isReply(4));
      const status = (r: number) => (c.messages[c.indexOf(isReply(r))] as { d: { b: { s: string } } }).d.b.s;
      expect([1, 2, 3, 4].map(status)).toEqual(['ok', 'ok', 'ok', 'permission_denied']);
      expect((await fetch(restUrl(target, 'plain', ns))).status).toBe(200);
    } finally {
      await c.close();
    }
  });

  it('an undecodable auth credential gets invalid_token', async () => {
    const c = await wireConnect(target.hostPort, `v=5&ns=${freshNamespace()}`);
    try {
      c.send(request(1, 'auth', { cred: 'not-a-jwt' }));
      expect(await c.next(isReply(1))).toEqual({ t: 'd', d: { r: 1, b: { s: 'invalid_token', d: 'Could not parse auth token.' } } });
    } finally {
      await c.close();
    }
  });
});
