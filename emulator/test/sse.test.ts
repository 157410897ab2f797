// Conformance: REST streaming with Server-Sent Events (spec §2.6).
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
