import { describe, expect, it } from 'vitest';
import { bucketRollups, windowStartKey } from './rollups.js';

const r = (count: number, irMin: number, irMax: number, irAvg: number, extra: Record<string, number> = {}) => ({ count, irMin, irMax, irAvg, firstTs: 0, lastTs: 0, ...extra });

describe('rollup buckets', () => {
  it('merges minutes into buckets with count-weighted means, newest first', () => {
    const buckets = bucketRollups(
      {
        '202612020600': r(10, 100, 200, 150, { tempMin: 20, tempMax: 22, tempAvg: 21, tempCount: 10 }),
        '202612020604': r(30, 50, 400, 250, { tempMin: 20, tempMax: 24, tempAvg: 23, tempCount: 10 }),
        '202612020605': r(5, 1000, 1000, 1000),
        garbage: r(1, 0, 0, 0),
      },
      300_000,
    );
    expect(buckets).toHaveLength(2);
    expect(buckets[0]).toEqual({ startMs: Date.UTC(2026, 11, 2, 6, 5), count: 5, irMin: 1000, irMax: 1000, irAvg: 1000 });
    expect(buckets[1]).toEqual({ startMs: Date.UTC(2026, 11, 2, 6, 0), count: 40, irMin: 50, irMax: 400, irAvg: 225, tempAvg: 22 });
  });
  it('starts the window at the right minute key', () => {
    expect(windowStartKey(Date.UTC(2026, 11, 2, 6, 30, 15), 3_600_000)).toBe('202612020530');
  });
});
