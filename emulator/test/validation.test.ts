// Writes and queries that production refuses are refused here too, with a clear 400, instead of
// storing something unreadable or silently ignoring a parameter (issue #10 item 5).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshNamespace, restUrl, startTarget, type Target } from './harness.js';

let target: Target;
beforeAll(async () => {
  target = await startTarget();
});
afterAll(async () => {
  await target.stop();
});

async function call(method: string, path: string, ns: string, body?: unknown, params: Record<string, string> = {}): Promise<{ status: number; json: unknown }> {
  const res = await fetch(restUrl(target, path, ns, params), { method, ...(body !== undefined && { body: JSON.stringify(body) }) });
  return { status: res.status, json: res.status === 204 ? null : await res.json() };
}

const errorOf = (r: { json: unknown }): string => String((r.json as { error?: unknown } | null)?.error ?? '');

describe('write validation', () => {
  it('refuses a key whose full path passes 768 bytes, inside a body', async () => {
    const ns = freshNamespace();
    const longKey = 'k'.repeat(770);
    const refused = await call('PUT', 'a', ns, { [longKey]: 1 });
    expect(refused.status).toBe(400);
    expect(errorOf(refused)).toMatch(/longer than 768 bytes/);
    // Multi-byte characters count in UTF-8 bytes: 300 × 'é' = 600 bytes (fits); 400 × 'é' = 800 (refused).
    expect((await call('PUT', 'a', ns, { ['é'.repeat(300)]: 1 })).status).toBe(200);
    expect((await call('PATCH', 'a', ns, { b: { ['é'.repeat(400)]: 1 } })).status).toBe(400);
    // Nothing unreadable was stored.
    expect((await call('GET', 'a', ns)).json).toEqual({ ['é'.repeat(300)]: 1 });
  });

  it('refuses an increment that overflows to a non-finite number, keeping the stored value', async () => {
    const ns = freshNamespace();
    await call('PUT', 'n', ns, 1.7e308);
    const refused = await call('PUT', 'n', ns, { '.sv': { increment: 1.7e308 } });
    expect(refused.status).toBe(400);
    expect(errorOf(refused)).toMatch(/increment .*overflows/);
    expect((await call('GET', 'n', ns)).json).toBe(1.7e308);
  });

  it('refuses a server value with sibling keys instead of dropping them', async () => {
    const ns = freshNamespace();
    const refused = await call('PUT', 'x', ns, { '.sv': { increment: 1 }, x: 2 });
    expect(refused.status).toBe(400);
    expect(errorOf(refused)).toMatch(/server value .*cannot have other keys.*"x"/);
    expect((await call('GET', 'x', ns)).json).toBeNull();
  });
});

describe('query parameter validation', () => {
  it('refuses startAt with startAfter, and endAt with endBefore', async () => {
    const ns = freshNamespace();
    const both = await call('GET', 'q', ns, undefined, { orderBy: '"$key"', startAt: '"a"', startAfter: '"b"' });
    expect(both.status).toBe(400);
    expect(errorOf(both)).toMatch(/startAt and startAfter cannot both be set/);
    const ends = await call('GET', 'q', ns, undefined, { orderBy: '"$key"', endAt: '"a"', endBefore: '"b"' });
    expect(ends.status).toBe(400);
  });

  it('refuses a limit past the maximum', async () => {
    const ns = freshNamespace();
    const over = await call('GET', 'q', ns, undefined, { orderBy: '"$key"', limitToFirst: String(2 ** 31) });
    expect(over.status).toBe(400);
    expect(errorOf(over)).toMatch(/limitToFirst must be at most 2147483647/);
    expect((await call('GET', 'q', ns, undefined, { orderBy: '"$key"', limitToFirst: String(2 ** 31 - 1) })).status).toBe(200);
  });

  it('refuses unknown values of print, format and shallow; known values still work', async () => {
    const ns = freshNamespace();
    for (const [name, value] of [['print', 'loud'], ['format', 'xml'], ['shallow', 'yes']] as const) {
      const r = await call('GET', 'q', ns, undefined, { [name]: value });
      expect(r.status, `${name}=${value}`).toBe(400);
      expect(errorOf(r)).toContain(`${name}=${value} is not supported`);
    }
    expect((await call('GET', 'q', ns, undefined, { print: 'pretty', format: 'export', shallow: 'false' })).status).toBe(200);
    expect((await call('PUT', 'q', ns, 1, { print: 'silent' })).status).toBe(204);
    // firebase-tools probes emptiness this way and expects success.
    expect((await call('GET', '', ns, undefined, { shallow: 'true', limitToFirst: '1' })).status).toBe(200);
  });
});
