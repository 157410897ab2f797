import { describe, expect, it } from 'vitest';
import { Backoff } from './backoff.js';
import { seededRandom } from './random.js';

describe('Backoff', () => {
  it('grows exponentially up to the bound, with jitter, and resets', () => {
    const backoff = new Backoff({ baseMs: 100, maxMs: 5_000, random: () => 1 });
    expect([1, 2, 3, 4, 5, 6, 7, 8].map(() => backoff.nextDelayMs())).toEqual([
      100, 200, 400, 800, 1_600, 3_200, 5_000, 5_000,
    ]);
    backoff.reset();
    expect(backoff.nextDelayMs()).toBe(100);
  });

  it('spreads delays (jitter) but never goes below half the base', () => {
    const delays = Array.from({ length: 200 }, (_, seed) => {
      const b = new Backoff({ baseMs: 100, maxMs: 5_000, random: seededRandom(seed) });
      for (let i = 0; i < 5; i += 1) b.nextDelayMs();
      return b.nextDelayMs();
    });
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(50);
    expect(Math.max(...delays)).toBeLessThanOrEqual(3_200);
    expect(new Set(delays).size).toBeGreaterThan(50);
  });
});
