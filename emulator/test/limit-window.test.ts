// Regression: a limit query must see a child's removal (issue #10 item 1). The stored data was
// right, but the window's key list was the tree's own sorted-key cache, changed in place by
// later writes, so the next comparison saw "no change" and nothing was pushed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { limitToFirst, limitToLast, onValue, orderByKey, query, ref, remove, set, type Query } from 'firebase/database';
import { clientApp, type ClientHandle } from './clients.js';
import { freshNamespace, restUrl, startTarget, waitFor, type Target } from './harness.js';
import { openSse } from './sse-client.js';

let target: Target;
let writer: ClientHandle;
let reader: ClientHandle;
let ns: string;
beforeAll(async () => {
  target = await startTarget();
  ns = freshNamespace();
  writer = clientApp(target, ns);
  reader = clientApp(target, ns);
});
afterAll(async () => {
  await writer.close();
  await reader.close();
  await target.stop();
});

/** Latest value a query listener has seen. */
function watch(q: Query): { latest: () => unknown; stop: () => void } {
  let value: unknown = undefined;
  const stop = onValue(q, (s) => (value = s.val()));
  return { latest: () => value, stop };
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

describe('limit windows see removals (WebSocket)', () => {
  it('limitToLast(10): two removals in a row', async () => {
    const p = `lw/a-${Math.random().toString(36).slice(2)}`;
    await set(ref(writer.db, p), { a: 1, b: 2, c: 3 });
    const w = watch(query(ref(reader.db, p), limitToLast(10)));
    await waitFor(() => same(w.latest(), { a: 1, b: 2, c: 3 }), 5000, 'initial value');
    await remove(ref(writer.db, `${p}/a`));
    await waitFor(() => same(w.latest(), { b: 2, c: 3 }), 5000, 'first removal');
    await remove(ref(writer.db, `${p}/c`));
    await waitFor(() => same(w.latest(), { b: 2 }), 5000, 'second removal');
    w.stop();
  });

  it('orderByKey().limitToFirst(n)', async () => {
    const p = `lw/b-${Math.random().toString(36).slice(2)}`;
    await set(ref(writer.db, p), { a: 1, b: 2, c: 3 });
    const w = watch(query(ref(reader.db, p), orderByKey(), limitToFirst(5)));
    await waitFor(() => same(w.latest(), { a: 1, b: 2, c: 3 }), 5000, 'initial value');
    await remove(ref(writer.db, `${p}/c`));
    await waitFor(() => same(w.latest(), { a: 1, b: 2 }), 5000, 'first removal');
    await remove(ref(writer.db, `${p}/b`));
    await waitFor(() => same(w.latest(), { a: 1 }), 5000, 'second removal');
    w.stop();
  });

  it('a chat list: add then remove the newest child', async () => {
    const p = `lw/c-${Math.random().toString(36).slice(2)}`;
    await set(ref(writer.db, p), { m1: 'hi', m2: 'yo' });
    const w = watch(query(ref(reader.db, p), limitToLast(2)));
    await waitFor(() => same(w.latest(), { m1: 'hi', m2: 'yo' }), 5000, 'initial value');
    await set(ref(writer.db, `${p}/m3`), 'new');
    await waitFor(() => same(w.latest(), { m2: 'yo', m3: 'new' }), 5000, 'added');
    await remove(ref(writer.db, `${p}/m3`));
    await waitFor(() => same(w.latest(), { m1: 'hi', m2: 'yo' }), 5000, 'removed newest');
    await remove(ref(writer.db, `${p}/m2`));
    await waitFor(() => same(w.latest(), { m1: 'hi' }), 5000, 'window no longer full');
    w.stop();
  });
});

describe('limit windows see removals (SSE)', () => {
  it('limitToLast=10 over REST streaming', async () => {
    const p = `lw/s-${Math.random().toString(36).slice(2)}`;
    await fetch(restUrl(target, p, ns), { method: 'PUT', body: JSON.stringify({ a: 1, b: 2, c: 3 }) });
    const s = await openSse(restUrl(target, p, ns, { orderBy: '"$key"', limitToLast: '10' }));
    try {
      const isWhole = (want: unknown) => (e: { event: string; data: unknown }) => e.event === 'put' && same((e.data as { data: unknown }).data, want);
      await s.next(isWhole({ a: 1, b: 2, c: 3 }));
      await fetch(restUrl(target, `${p}/a`, ns), { method: 'DELETE' });
      await s.next(isWhole({ b: 2, c: 3 }));
      await fetch(restUrl(target, `${p}/c`, ns), { method: 'DELETE' });
      expect((await s.next(isWhole({ b: 2 }))).event).toBe('put');
    } finally {
      s.close();
    }
  });
});
