// Conformance: the modular client SDK and the admin SDK doing everyday reads and writes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { child, get, onValue, push, ref, remove, set, update, serverTimestamp, increment, onChildAdded, onChildChanged, onChildRemoved } from 'firebase/database';
import { adminApp } from './admin.js';
import { clientApp } from './clients.js';
import { freshNamespace, startTarget, waitFor, type Target } from './harness.js';

let target: Target;
beforeAll(async () => {
  target = await startTarget();
});
afterAll(async () => {
  await target.stop();
});

describe('client SDK basics', () => {
  it('set then get returns the value, including nested objects', async () => {
    const c = clientApp(target, freshNamespace());
    try {
      await set(ref(c.db, 'a/b'), { n: 1, s: 'x', t: true });
      expect((await get(ref(c.db, 'a'))).val()).toEqual({ b: { n: 1, s: 'x', t: true } });
      expect((await get(ref(c.db, 'a/b/n'))).val()).toBe(1);
      expect((await get(ref(c.db, 'missing'))).exists()).toBe(false);
    } finally {
      await c.close();
    }
  });

  it('update, push and remove; empty objects vanish', async () => {
    const c = clientApp(target, freshNamespace());
    try {
      await set(ref(c.db, 'r'), { a: 1, b: { c: 2 } });
      await update(ref(c.db, 'r'), { 'b/d': 3, a: null, e: {} });
      expect((await get(ref(c.db, 'r'))).val()).toEqual({ b: { c: 2, d: 3 } });
      const p = push(ref(c.db, 'list'));
      await set(p, { v: 1 });
      const snap = await get(ref(c.db, 'list'));
      expect(Object.keys(snap.val() as object)).toEqual([p.key]);
      await remove(ref(c.db, 'r/b/c'));
      await remove(ref(c.db, 'r/b/d'));
      expect((await get(ref(c.db, 'r'))).exists()).toBe(false);
    } finally {
      await c.close();
    }
  });

  it('a second client sees writes through value and child listeners', async () => {
    const ns = freshNamespace();
    const writer = clientApp(target, ns);
    const reader = clientApp(target, ns, { via: 'emulator' });
    const events: string[] = [];
    let value: unknown;
    try {
      const unsubs = [
        onValue(ref(reader.db, 'room'), (s) => {
          value = s.val();
        }),
        onChildAdded(ref(reader.db, 'room'), (s) => events.push(`added:${s.key}`)),
        onChildChanged(ref(reader.db, 'room'), (s) => events.push(`changed:${s.key}`)),
        onChildRemoved(ref(reader.db, 'room'), (s) => events.push(`removed:${s.key}`)),
      ];
      await set(ref(writer.db, 'room/x'), 1);
      await set(ref(writer.db, 'room/y'), 2);
      await set(ref(writer.db, 'room/x'), 3);
      await remove(ref(writer.db, 'room/y'));
      await waitFor(() => events.length >= 4, 5000, 'child events');
      expect(events).toEqual(['added:x', 'added:y', 'changed:x', 'removed:y']);
      await waitFor(() => JSON.stringify(value) === JSON.stringify({ x: 3 }), 5000, 'value');
      unsubs.forEach((u) => u());
    } finally {
      await writer.close();
      await reader.close();
    }
  });

  it('server values: timestamp and increment resolve on the server', async () => {
    const c = clientApp(target, freshNamespace());
    try {
      const before = Date.now();
      await set(ref(c.db, 'sv'), { t: serverTimestamp(), n: increment(2) });
      await update(ref(c.db, 'sv'), { n: increment(5) });
      const v = (await get(ref(c.db, 'sv'))).val() as { t: number; n: number };
      expect(v.n).toBe(7);
      expect(v.t).toBeGreaterThanOrEqual(before - 5000);
      expect(v.t).toBeLessThanOrEqual(Date.now() + 5000);
    } finally {
      await c.close();
    }
  });
});

describe('admin SDK basics', () => {
  it('admin writes are seen by a client and vice versa', async () => {
    const ns = freshNamespace();
    const admin = adminApp(target, ns);
    const c = clientApp(target, ns);
    try {
      await admin.db.ref('from-admin').set({ ok: true });
      expect((await get(ref(c.db, 'from-admin'))).val()).toEqual({ ok: true });
      await set(ref(c.db, 'from-client'), 'hi');
      expect((await admin.db.ref('from-client').once('value')).val()).toBe('hi');
      const key = (await admin.db.ref('log').push({ m: 1 })).key;
      expect((await get(child(ref(c.db, 'log'), key!))).val()).toEqual({ m: 1 });
    } finally {
      await admin.close();
      await c.close();
    }
  });
});
