import { describe, expect, it } from 'vitest';
import { SimError } from '../errors.js';
import type { Session } from './auth.js';
import { TokenKeeper } from './token-keeper.js';

function session(n: number, nowMs: number, lifetimeMs = 3_600_000): Session {
  return { idToken: `id-${n}`, refreshToken: `rt-${n}`, uid: 'u1', expiresAtMs: nowMs + lifetimeMs, claims: { device: 'd1' } };
}

function setup(options: { lifetimeMs?: number; maxLifetimeMs?: number; refreshFails?: SimError } = {}) {
  let now = 1_000_000;
  let issued = 0;
  const calls: string[] = [];
  const keeper = new TokenKeeper(session(0, now, options.lifetimeMs), {
    nowMs: () => now,
    refreshMarginMs: 300_000,
    maxLifetimeMs: options.maxLifetimeMs,
    refresh: async (rt) => {
      calls.push(`refresh ${rt}`);
      if (options.refreshFails) throw options.refreshFails;
      issued += 1;
      return session(issued, now, options.lifetimeMs);
    },
    signIn: async () => {
      calls.push('signIn');
      issued += 1;
      return session(issued, now, options.lifetimeMs);
    },
  });
  return { keeper, calls, advance: (ms: number) => void (now += ms) };
}

describe('TokenKeeper', () => {
  it('refreshes five minutes before a one-hour token expires, not earlier', async () => {
    const { keeper, calls, advance } = setup();
    advance(54 * 60_000);
    expect(await keeper.idToken()).toBe('id-0');
    advance(60_001);
    expect(await keeper.idToken()).toBe('id-1');
    expect(calls).toEqual(['refresh rt-0']);
  });

  it('keeps a device going across many short expiries', async () => {
    const { keeper, advance } = setup({ lifetimeMs: 4_000 });
    const tokens = new Set<string>();
    for (let i = 0; i < 100; i += 1) {
      tokens.add(await keeper.idToken());
      advance(500);
    }
    // 50 s of 4 s tokens refreshed at 3 s: about 16 tokens.
    expect(tokens.size).toBeGreaterThanOrEqual(15);
    expect(keeper.refreshCount).toBe(tokens.size - 1);
  });

  it('honours a cap on the assumed lifetime', async () => {
    const { keeper, advance } = setup({ maxLifetimeMs: 8_000 });
    advance(5_999);
    expect(await keeper.idToken()).toBe('id-0');
    advance(2);
    expect(await keeper.idToken()).toBe('id-1');
  });

  it('refreshes once for many concurrent rejections of the same token', async () => {
    const { keeper, calls } = setup();
    const results = await Promise.all([1, 2, 3].map(() => keeper.tokenRejected('id-0')));
    expect(results).toEqual(['id-1', 'id-1', 'id-1']);
    expect(calls).toEqual(['refresh rt-0']);
    expect(await keeper.tokenRejected('id-0')).toBe('id-1');
  });

  it('signs in again when the refresh token is refused, but not on network errors', async () => {
    const refused = setup({ refreshFails: new SimError('bad-credentials', 'INVALID_REFRESH_TOKEN') });
    expect(await refused.keeper.tokenRejected('id-0')).toBe('id-1');
    expect(refused.calls).toEqual(['refresh rt-0', 'signIn']);
    const offline = setup({ refreshFails: new SimError('unreachable', 'ECONNREFUSED') });
    await expect(offline.keeper.tokenRejected('id-0')).rejects.toThrow('ECONNREFUSED');
    expect(offline.calls).toEqual(['refresh rt-0']);
  });
});
