import { describe, expect, it } from 'vitest';
import { RecentResult } from './recent-result.js';

describe('RecentResult', () => {
  it('shares one load between calls within the time to live and for the same key', async () => {
    const recent = new RecentResult<number>(10_000);
    let loads = 0;
    const load = async (): Promise<number> => ++loads;
    expect(await recent.get('a', load, 0)).toBe(1);
    expect(await recent.get('a', load, 9_999)).toBe(1);
    expect(await recent.get('b', load, 9_999)).toBe(2);
    expect(await recent.get('b', load, 20_000)).toBe(3);
    expect(loads).toBe(3);
  });

  it('does not keep a failed load', async () => {
    const recent = new RecentResult<string>(10_000);
    await expect(recent.get('a', () => Promise.reject(new Error('unavailable')), 0)).rejects.toThrow('unavailable');
    expect(await recent.get('a', async () => 'listed', 1)).toBe('listed');
  });
});
