// Conformance: REST query parameters (docs/protocol.md §12) — here the server's own filtering is visible,
// since no client re-filters the result.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshNamespace, restUrl, startTarget, type Target } from './harness.js';

let target: Target;
let ns: string;
beforeAll(async () => {
  target = await startTarget();
  ns = freshNamespace();
  await fetch(restUrl(target, 'people', ns), {
    method: 'PUT',
    body: JSON.stringify({
      alice: { age: 30, tag: 'b' },
      bob: { age: 25, tag: 'a' },
      carol: { age: 35, tag: 'c' },
      dave: { age: 25 },
      eve: { tag: 5 },
    }),
  });
  await fetch(restUrl(target, 'nums', ns), { method: 'PUT', body: JSON.stringify({ '10': 1, '9': 2, '100': 3, x: 4, '007': 5 }) });
});
afterAll(async () => {
  await target.stop();
});

async function keys(path: string, params: Record<string, string>): Promise<string[]> {
  const res = await fetch(restUrl(target, path, ns, params));
  expect(res.status).toBe(200);
  const body = (await res.json()) as Record<string, unknown> | null;
  return body === null ? [] : Object.keys(body).sort();
}

describe('REST query parameters', () => {
  it.each([
    [{ orderBy: '"age"', startAt: '30' }, ['alice', 'carol']],
    [{ orderBy: '"age"', startAt: '25,"dave"' }, ['alice', 'carol', 'dave']],
    [{ orderBy: '"age"', startAfter: '25' }, ['alice', 'carol']],
    [{ orderBy: '"age"', endAt: '25' }, ['bob', 'dave', 'eve']],
    [{ orderBy: '"age"', endBefore: '25' }, ['eve']],
    [{ orderBy: '"age"', equalTo: '25' }, ['bob', 'dave']],
    [{ orderBy: '"age"', limitToFirst: '2' }, ['bob', 'eve']],
    [{ orderBy: '"age"', limitToLast: '2' }, ['alice', 'carol']],
    [{ orderBy: '"tag"', startAt: '"a"', endAt: '"b"' }, ['alice', 'bob']],
    [{ orderBy: '"$key"', startAt: '"bob"', endAt: '"dave"' }, ['bob', 'carol', 'dave']],
    [{ orderBy: '"$key"', limitToLast: '1' }, ['eve']],
    [{ orderBy: '"$priority"', limitToFirst: '1' }, ['alice']],
  ])('%j', async (params, expected) => {
    expect(await keys('people', params)).toEqual(expected);
  });

  it('orders integer-like keys numerically', async () => {
    expect(await keys('nums', { orderBy: '"$key"', limitToFirst: '3' })).toEqual(['007', '10', '9'].sort());
    expect(await keys('nums', { orderBy: '"$key"', startAt: '"10"', endAt: '"100"' })).toEqual(['10', '100']);
    expect(await keys('nums', { orderBy: '"$value"', startAt: '3' })).toEqual(['007', '100', 'x']);
  });

  it('rejects unquoted or malformed parameters with 400', async () => {
    const bad: Record<string, string>[] = [{ orderBy: 'age' }, { orderBy: '"age"', startAt: 'abc' }, { orderBy: '"$key"', startAt: '3' }, { orderBy: '"age"', limitToFirst: 'x' }];
    for (const params of bad) {
      const res = await fetch(restUrl(target, 'people', ns, params));
      expect(res.status, JSON.stringify(params)).toBe(400);
      expect(typeof ((await res.json()) as { error: unknown }).error).toBe('string');
    }
  });
});
