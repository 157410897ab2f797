// Listens keep their read access under data-dependent rules: only writes to the data a stream's
// read rules look at re-check it (src/read-watch.ts), and such a write still revokes it — over
// SSE (`cancel`) and WebSocket (`c`), including after an auth change on the socket.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshNamespace, onlyOurs, restUrl, startTarget, type Target } from './harness.js';
import { openSse, type SseEvent } from './sse-client.js';
import { isPush, isReply, mockToken, request, wireConnect, type WireClient } from './wire-client.js';

let target: Target;
beforeAll(async () => {
  target = await startTarget();
});
afterAll(async () => {
  await target.stop();
});

const OWNER = { Authorization: 'Bearer owner' };

async function ownerWrite(ns: string, path: string, value: unknown, method = 'PUT'): Promise<void> {
  const res = await fetch(restUrl(target, path, ns), { method, headers: OWNER, body: JSON.stringify(value) });
  expect(res.status).toBe(200);
}

async function putRules(ns: string, rules: object): Promise<void> {
  await ownerWrite(ns, '.settings/rules', rules);
}

const isPutAt = (path: string) => (e: SseEvent) => e.event === 'put' && (e.data as { path: string }).path === path;

describe('read re-checks after data changes', () => {
  it('SSE: unrelated writes are pushed, the owning write cancels only the stream it concerns', async () => {
    if (!onlyOurs('the official emulator does not revoke on data changes')) return;
    const ns = freshNamespace();
    await putRules(ns, { rules: { devices: { $id: { '.read': "root.child('owners').child($id).val() == true" } } } });
    await ownerWrite(ns, 'owners', { d1: true, d2: true });
    const s1 = await openSse(restUrl(target, 'devices/d1', ns));
    const s2 = await openSse(restUrl(target, 'devices/d2', ns));
    try {
      await s1.next(isPutAt('/'));
      await s2.next(isPutAt('/'));
      for (let i = 0; i < 50; i++) {
        await ownerWrite(ns, `devices/d1/readings/r${i}`, { ir: i });
        await ownerWrite(ns, 'owners/d3', i % 2 === 0);
      }
      expect(await s1.next(isPutAt('/readings/r49'))).toEqual({ event: 'put', data: { path: '/readings/r49', data: { ir: 49 } } });
      await ownerWrite(ns, 'owners/d1', false);
      expect(await s1.next((e) => e.event === 'cancel')).toEqual({ event: 'cancel', data: 'Permission denied.' });
      await ownerWrite(ns, 'devices/d2/x', 1);
      expect(await s2.next(isPutAt('/x'))).toEqual({ event: 'put', data: { path: '/x', data: 1 } });
      expect(s1.events.filter((e) => e.event === 'cancel')).toHaveLength(1);
      expect(s2.events.some((e) => e.event === 'cancel')).toBe(false);
      // A write above the data the rule reads also re-checks.
      await ownerWrite(ns, '', { owners: { d2: false } });
      expect(await s2.next((e) => e.event === 'cancel')).toEqual({ event: 'cancel', data: 'Permission denied.' });
    } finally {
      s1.close();
      s2.close();
    }
  });

  /** Sends a stats request and waits for its reply: everything the server sent before it has arrived. */
  async function settle(c: WireClient, r: number): Promise<void> {
    c.send(request(r, 's', { c: {} }));
    await c.next(isReply(r));
  }

  it('WebSocket: revokes after skipped unrelated writes, and follows the identity after re-auth', async () => {
    if (!onlyOurs('the official emulator does not revoke on data changes')) return;
    const ns = freshNamespace();
    await putRules(ns, { rules: { devices: { $id: { '.read': "root.child('owners').child($id).child(auth.uid).val() == true" } } } });
    await ownerWrite(ns, 'owners/d1', { alice: true, bob: true });
    const c = await wireConnect(target.hostPort, `v=5&ns=${ns}`);
    try {
      c.send(request(1, 'auth', { cred: mockToken({ sub: 'alice', user_id: 'alice' }) }));
      await c.next(isReply(1));
      c.send(request(2, 'q', { p: '/devices/d1', h: '' }));
      expect(await c.next(isReply(2))).toEqual({ t: 'd', d: { r: 2, b: { s: 'ok', d: {} } } });
      for (let i = 0; i < 20; i++) await ownerWrite(ns, `owners/d2/alice`, i % 2 === 0);
      await ownerWrite(ns, 'devices/d1/x', 1);
      await c.next((m) => isPush('d')(m) && (m['d'] as { b: { p: string } }).b.p === '/devices/d1/x');
      // Bob may read d1 too: the listen survives the auth change and now depends on bob's entry.
      c.send(request(3, 'auth', { cred: mockToken({ sub: 'bob', user_id: 'bob' }) }));
      await c.next(isReply(3));
      await ownerWrite(ns, 'owners/d1/alice', false);
      await settle(c, 4);
      expect(c.indexOf(isPush('c'))).toBe(-1);
      await ownerWrite(ns, 'owners/d1/bob', false);
      expect(await c.next(isPush('c'))).toEqual({ t: 'd', d: { a: 'c', b: { p: '/devices/d1' } } });
      // The revoked listen gets no more data.
      await ownerWrite(ns, 'devices/d1/y', 2);
      await settle(c, 5);
      expect(c.indexOf((m) => isPush('d')(m) && (m['d'] as { b: { p: string } }).b.p === '/devices/d1/y')).toBe(-1);
    } finally {
      await c.close();
    }
  });

  it('WebSocket: an auth change that loses access revokes at once', async () => {
    if (!onlyOurs('the official emulator does not revoke on auth changes')) return;
    const ns = freshNamespace();
    await putRules(ns, { rules: { devices: { $id: { '.read': "root.child('owners').child($id).child(auth.uid).val() == true" } } } });
    await ownerWrite(ns, 'owners/d1', { alice: true });
    const c = await wireConnect(target.hostPort, `v=5&ns=${ns}`);
    try {
      c.send(request(1, 'auth', { cred: mockToken({ sub: 'alice', user_id: 'alice' }) }));
      await c.next(isReply(1));
      c.send(request(2, 'q', { p: '/devices/d1', h: '' }));
      await c.next(isReply(2));
      c.send(request(3, 'unauth', {}));
      expect(await c.next(isPush('c'))).toEqual({ t: 'd', d: { a: 'c', b: { p: '/devices/d1' } } });
    } finally {
      await c.close();
    }
  });
});
