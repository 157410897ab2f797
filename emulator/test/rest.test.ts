// Conformance: the REST API with plain fetch (docs/protocol.md §12).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshNamespace, restUrl, startTarget, type Target } from './harness.js';

let target: Target;
beforeAll(async () => {
  target = await startTarget();
});
afterAll(async () => {
  await target.stop();
});

async function call(url: string, method = 'GET', body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: unknown; text: string; headers: Headers }> {
  const init: RequestInit = { method, headers };
  if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
  const res = await fetch(url, init);
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text, headers: res.headers };
}

describe('REST methods', () => {
  it('PUT returns the written value and GET reads it back', async () => {
    const ns = freshNamespace();
    const put = await call(restUrl(target, 'a/b', ns), 'PUT', { x: 1, y: [1, 2] });
    expect(put.status).toBe(200);
    expect(put.json).toEqual({ x: 1, y: [1, 2] });
    expect((await call(restUrl(target, 'a', ns))).json).toEqual({ b: { x: 1, y: [1, 2] } });
    expect((await call(restUrl(target, 'nothing', ns))).json).toBeNull();
  });

  it('POST creates a chronologically ordered push id', async () => {
    const ns = freshNamespace();
    const names: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await call(restUrl(target, 'list', ns), 'POST', { i });
      expect(r.status).toBe(200);
      names.push((r.json as { name: string }).name);
    }
    expect(names.every((n) => /^[-0-9A-Za-z_]{20}$/.test(n))).toBe(true);
    expect([...names].sort()).toEqual(names);
    const all = (await call(restUrl(target, 'list', ns))).json as Record<string, { i: number }>;
    expect(Object.keys(all).sort().map((k) => all[k]!.i)).toEqual([0, 1, 2, 3, 4]);
  });

  it('PATCH updates several paths; DELETE removes', async () => {
    const ns = freshNamespace();
    await call(restUrl(target, 'p', ns), 'PUT', { a: 1, b: { c: 2 } });
    const patch = await call(restUrl(target, 'p', ns), 'PATCH', { a: null, 'b/d': 3 });
    expect(patch.status).toBe(200);
    expect(patch.json).toEqual({ a: null, 'b/d': 3 });
    expect((await call(restUrl(target, 'p', ns))).json).toEqual({ b: { c: 2, d: 3 } });
    const del = await call(restUrl(target, 'p/b', ns), 'DELETE');
    expect(del.status).toBe(200);
    expect(del.json).toBeNull();
    expect((await call(restUrl(target, 'p', ns))).json).toBeNull();
  });

  it('server values resolve over REST', async () => {
    const ns = freshNamespace();
    const r = await call(restUrl(target, 's', ns), 'PUT', { t: { '.sv': 'timestamp' }, n: { '.sv': { increment: 4 } } });
    const v = r.json as { t: number; n: number };
    expect(v.n).toBe(4);
    expect(Math.abs(v.t - Date.now())).toBeLessThan(60_000);
    const bad = await call(restUrl(target, 's', ns), 'PUT', { t: { '.sv': 'nonsense' } });
    expect(bad.status).toBe(400);
    expect((bad.json as { error: string }).error).toMatch(/server value/);
  });

  it('print=pretty, print=silent, shallow and format=export', async () => {
    const ns = freshNamespace();
    await call(restUrl(target, 'x', ns), 'PUT', { a: { '.value': 1, '.priority': 5 }, b: { c: 1 } });
    const pretty = await call(restUrl(target, 'x', ns, { print: 'pretty' }));
    expect(pretty.text).toContain('\n');
    const silent = await call(restUrl(target, 'x', ns, { print: 'silent' }), 'PUT', { q: 1 });
    expect(silent.status).toBe(204);
    expect(silent.text).toBe('');
    await call(restUrl(target, 'x', ns), 'PUT', { a: { '.value': 1, '.priority': 5 }, b: { c: 1 } });
    expect((await call(restUrl(target, 'x', ns, { shallow: 'true' }))).json).toEqual({ a: true, b: true });
    expect((await call(restUrl(target, 'x', ns, { shallow: 'true', limitToFirst: '1' }))).status).toBe(200);
    expect((await call(restUrl(target, 'x', ns, { format: 'export' }))).json).toEqual({ a: { '.value': 1, '.priority': 5 }, b: { c: 1 } });
  });

  it('ETags: X-Firebase-ETag, if-match success and 412 on mismatch', async () => {
    const ns = freshNamespace();
    const empty = await call(restUrl(target, 'e', ns), 'GET', undefined, { 'X-Firebase-ETag': 'true' });
    expect(empty.headers.get('etag')).toBe('null_etag');
    const created = await call(restUrl(target, 'e', ns), 'PUT', { v: 1 }, { 'if-match': 'null_etag' });
    expect(created.status).toBe(200);
    const got = await call(restUrl(target, 'e', ns), 'GET', undefined, { 'X-Firebase-ETag': 'true' });
    const etag = got.headers.get('etag')!;
    expect(etag).not.toBe('null_etag');
    const stale = await call(restUrl(target, 'e', ns), 'PUT', { v: 2 }, { 'if-match': 'null_etag' });
    expect(stale.status).toBe(412);
    expect(stale.json).toEqual({ v: 1 });
    expect(stale.headers.get('etag')).toBe(etag);
    expect((await call(restUrl(target, 'e', ns), 'PUT', { v: 3 }, { 'if-match': etag })).status).toBe(200);
  });

  it('namespaces are independent databases', async () => {
    const a = freshNamespace();
    const b = freshNamespace();
    await call(restUrl(target, 'k', a), 'PUT', JSON.stringify('in-a'));
    expect((await call(restUrl(target, 'k', a))).json).toBe('in-a');
    expect((await call(restUrl(target, 'k', b))).json).toBeNull();
  });
});

describe('REST details', () => {
  it('writes priorities through .priority paths and {.value,.priority} bodies', async () => {
    const ns = freshNamespace();
    await call(restUrl(target, 'p/a', ns), 'PUT', { x: 1 });
    expect((await call(restUrl(target, 'p/a/.priority', ns), 'PUT', 5)).status).toBe(200);
    await call(restUrl(target, 'p/b', ns), 'PUT', { '.value': 'v', '.priority': 'z' });
    expect((await call(restUrl(target, 'p', ns, { format: 'export' }))).json).toEqual({ a: { x: 1, '.priority': 5 }, b: { '.value': 'v', '.priority': 'z' } });
    expect((await call(restUrl(target, 'p', ns))).json).toEqual({ a: { x: 1 }, b: 'v' });
  });

  it('honours X-HTTP-Method-Override, JSONP callbacks and download', async () => {
    const ns = freshNamespace();
    const over = await call(restUrl(target, 'm', ns), 'POST', { a: 1 }, { 'X-HTTP-Method-Override': 'PUT' });
    expect(over.json).toEqual({ a: 1 });
    expect((await call(restUrl(target, 'm', ns))).json).toEqual({ a: 1 });
    const jsonp = await call(restUrl(target, 'm', ns, { callback: 'cb' }));
    expect(jsonp.text).toBe('cb({"a":1});');
    const dl = await call(restUrl(target, 'm', ns, { download: 'm.json' }));
    expect(dl.headers.get('content-disposition')).toBe('attachment; filename="m.json"');
    const odd = await call(restUrl(target, 'm', ns, { download: 'a"b\r\nX: y.json' }));
    expect(odd.status).toBe(200);
    expect(odd.headers.get('content-disposition')).toBe('attachment; filename="a_b__X: y.json"');
  });

  it('stores __proto__ as an ordinary key', async () => {
    const ns = freshNamespace();
    const body = '{"__proto__":{"polluted":true},"a":1}';
    expect((await call(restUrl(target, 'p', ns), 'PUT', body)).status).toBe(200);
    const got = await call(restUrl(target, 'p', ns));
    expect(got.text).toBe(body);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.keys((await call(restUrl(target, 'p', ns, { shallow: 'true' }))).json as object)).toEqual(['__proto__', 'a']);
  });

  it('answers CORS preflights', async () => {
    const res = await fetch(restUrl(target, 'x', freshNamespace()), { method: 'OPTIONS' });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });
});

describe('REST errors', () => {
  it('malformed JSON is a 400 with RTDB wording and changes nothing', async () => {
    const ns = freshNamespace();
    await call(restUrl(target, 'm', ns), 'PUT', { keep: 1 });
    const r = await call(restUrl(target, 'm', ns), 'PUT', '{"a":');
    expect(r.status).toBe(400);
    expect(r.json).toEqual({ error: "Invalid data; couldn't parse JSON object, array, or value." });
    expect((await call(restUrl(target, 'm', ns))).json).toEqual({ keep: 1 });
  });

  it('invalid keys are rejected with 400', async () => {
    const ns = freshNamespace();
    for (const key of ['a.b', 'a#', 'a$', 'a[', 'a]']) {
      const r = await call(restUrl(target, 'k', ns), 'PUT', { [key]: 1 });
      expect(r.status, key).toBe(400);
      expect(typeof (r.json as { error: unknown }).error).toBe('string');
    }
  });

  it('a query filter without orderBy is a 400', async () => {
    const r = await call(restUrl(target, 'x', freshNamespace(), { limitToFirst: '1' }));
    expect(r.status).toBe(400);
    expect(r.json).toEqual({ error: 'orderBy must be defined when other query parameters are defined' });
  });
});
