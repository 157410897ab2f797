import { describe, expect, it } from 'vitest';
import { fleetDeviceIds, mapLimit } from './fleet.js';

describe('fleet helpers', () => {
  it('names devices <prefix>-0001.. with enough digits for the count', () => {
    expect(fleetDeviceIds('sim', 3)).toEqual(['sim-0001', 'sim-0002', 'sim-0003']);
    expect(fleetDeviceIds('x', 12_345).at(-1)).toBe('x-12345');
  });

  it('runs at most `limit` tasks at once and keeps result order', async () => {
    let running = 0;
    let peak = 0;
    const results = await mapLimit([5, 1, 4, 2, 3, 0], 2, async (ms, i) => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, ms));
      running -= 1;
      return i * 10;
    });
    expect(results).toEqual([0, 10, 20, 30, 40, 50]);
    expect(peak).toBe(2);
  });
});
