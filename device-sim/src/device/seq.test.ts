import { describe, expect, it } from 'vitest';
import { SeqCounter } from './seq.js';

describe('SeqCounter', () => {
  it('increases by at least one per reading, even within one tenth of a second', () => {
    const seq = new SeqCounter();
    const now = Date.UTC(2026, 5, 1);
    const a = seq.next(now);
    const b = seq.next(now);
    const c = seq.next(now + 5_000);
    expect(b).toBe(a + 1);
    expect(c).toBeGreaterThanOrEqual(b + 49);
  });

  it('survives a restart without storage, and respects a floor from the server', () => {
    const now = Date.UTC(2026, 5, 1);
    const before = new SeqCounter();
    const last = before.next(now) + 0;
    const after = new SeqCounter();
    expect(after.next(now + 1_000)).toBeGreaterThan(last);
    const floored = new SeqCounter();
    floored.atLeast(4_000_000_000);
    expect(floored.next(now)).toBe(4_000_000_001);
  });
});
