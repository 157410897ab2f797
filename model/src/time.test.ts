import { describe, expect, it } from 'vitest';
import { minuteKey, minuteKeyStartMs } from './time.js';

describe('minute keys', () => {
  it.each([
    [Date.UTC(2026, 10, 21, 21, 35, 59, 999), '202611212135'],
    [Date.UTC(2026, 10, 21, 21, 35, 0, 0), '202611212135'],
    [0, '197001010000'],
    [Date.UTC(2000, 1, 29, 23, 59), '200002292359'],
  ])('minuteKey(%d) = %s', (ts, key) => {
    expect(minuteKey(ts)).toBe(key);
  });

  it('round-trips to the first millisecond of the minute', () => {
    const ts = Date.UTC(2026, 10, 21, 21, 35, 12, 345);
    expect(minuteKeyStartMs(minuteKey(ts))).toBe(Date.UTC(2026, 10, 21, 21, 35));
  });

  it('keys sort in time order as strings', () => {
    const keys = [0, 59_999, 60_000, 3_600_000, 1_790_000_000_000].map(minuteKey);
    expect([...keys].sort()).toEqual(keys);
  });

  it.each([-1, 1.5, NaN, Infinity])('rejects the timestamp %d', (ts) => {
    expect(() => minuteKey(ts)).toThrow(/^tsMs: must be an integer number of milliseconds/);
  });

  it.each(['202613010000', '202602300000', '202611212460', '2026112121', 'abcdefghijkl'])('rejects the key %s', (key) => {
    expect(() => minuteKeyStartMs(key)).toThrow(/^minuteKey: must be a valid UTC minute/);
  });
});
