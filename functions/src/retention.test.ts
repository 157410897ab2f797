import { describe, expect, it } from 'vitest';
import { ageCutoffMs, countBoundary, deletionUpdates } from './retention.js';

describe('retention', () => {
  it('cuts by age', () => {
    expect(ageCutoffMs(10_000, { maxAgeMs: 3_000, maxCount: 5 })).toBe(7_000);
  });

  it('finds the newest reading to delete when more than maxCount are kept', () => {
    const newest = [1, 2, 3, 4].map((ts) => ({ id: `r${ts}`, ts }));
    expect(countBoundary(newest, { maxAgeMs: 1, maxCount: 3 })).toEqual({ id: 'r1', ts: 1 });
    expect(countBoundary(newest.slice(1), { maxAgeMs: 1, maxCount: 3 })).toBeNull();
    expect(countBoundary(newest, { maxAgeMs: 1, maxCount: 4 })).toBeNull();
  });

  it('deletes with null values in one path map', () => {
    expect(deletionUpdates(['a', 'b'])).toEqual({ a: null, b: null });
  });
});
