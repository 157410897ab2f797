import { describe, expect, it } from 'vitest';
import { PUSH_ID_CHARS, PushIdGenerator, pushIdTimeMs } from './push-id.js';

/** A small deterministic source (mulberry32) so ids are reproducible. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('PushIdGenerator (NextPushId.ts)', () => {
  it('makes 20-character keys that encode the time and sort by creation, also within one millisecond', () => {
    const gen = new PushIdGenerator(seeded(1));
    const ids = [gen.next(1_700_000_000_000), gen.next(1_700_000_000_000), gen.next(1_700_000_000_000), gen.next(1_700_000_000_001)];
    for (const id of ids) expect(id).toMatch(/^[-0-9A-Za-z_]{20}$/);
    expect(pushIdTimeMs(ids[0]!)).toBe(1_700_000_000_000);
    expect(pushIdTimeMs(ids[3]!)).toBe(1_700_000_000_001);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(4);
  });

  it('uses an alphabet in ASCII order, so string order is time order', () => {
    expect([...PUSH_ID_CHARS].sort().join('')).toBe(PUSH_ID_CHARS);
    expect(new PushIdGenerator(() => 0).next(0)).toBe('-'.repeat(20));
  });

  it('carries the increment across random characters', () => {
    const draws = [...new Array<number>(11).fill(0), 63 / 64];
    const gen = new PushIdGenerator(() => draws.shift() ?? 0);
    expect(gen.next(5).slice(8)).toBe(`${'-'.repeat(11)}z`);
    expect(gen.next(5).slice(8)).toBe(`${'-'.repeat(10)}0-`);
  });

  it('differs between sources in the same millisecond', () => {
    expect(new PushIdGenerator(seeded(1)).next(5)).not.toBe(new PushIdGenerator(seeded(2)).next(5));
  });
});
