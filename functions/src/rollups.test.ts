import { describe, expect, it } from 'vitest';
import { RollupSchema, minuteKey } from '@firelink/model';
import { MINUTE_MS, computeRollups, rollupWindow, toRollupReading, type RollupReading } from './rollups.js';

const t0 = Date.UTC(2026, 0, 2, 3, 4); // 2026-01-02 03:04:00 UTC

describe('computeRollups', () => {
  it('summarises a minute of readings per sensor: min, max, mean, count', () => {
    const readings: RollupReading[] = [];
    for (let i = 0; i < 60; i++) {
      readings.push({ id: `r${String(i).padStart(2, '0')}`, ts: t0 + i * 1000, ir: 100 + i, ...(i % 2 === 0 ? { temp: 20 + i / 10 } : {}), ...(i < 10 ? { light: i * 10 } : {}) });
    }
    const out = computeRollups(readings, t0, t0 + MINUTE_MS);
    expect([...out.keys()]).toEqual(['202601020304']);
    const r = out.get('202601020304');
    expect(r).toMatchObject({ count: 60, irMin: 100, irMax: 159, firstTs: t0, lastTs: t0 + 59_000 });
    expect(r?.irAvg).toBeCloseTo(129.5, 10);
    expect(r?.tempCount).toBe(30);
    expect(r?.tempMin).toBeCloseTo(20, 10);
    expect(r?.tempMax).toBeCloseTo(25.8, 10);
    expect(r?.tempAvg).toBeCloseTo(22.9, 10);
    expect(r).toMatchObject({ lightMin: 0, lightMax: 90, lightCount: 10, lightAvg: 45 });
  });

  it('splits by UTC minute, leaves out readings outside the range and empty minutes', () => {
    const readings: RollupReading[] = [
      { id: 'a', ts: t0 - 1, ir: 1 },
      { id: 'b', ts: t0, ir: 2 },
      { id: 'c', ts: t0 + MINUTE_MS - 1, ir: 4 },
      { id: 'd', ts: t0 + 2 * MINUTE_MS, ir: 8 },
      { id: 'e', ts: t0 + 3 * MINUTE_MS, ir: 16 },
    ];
    const out = computeRollups(readings, t0, t0 + 3 * MINUTE_MS);
    expect([...out.keys()].sort()).toEqual([minuteKey(t0), minuteKey(t0 + 2 * MINUTE_MS)]);
    expect(out.get(minuteKey(t0))).toEqual({ count: 2, irMin: 2, irMax: 4, irAvg: 3, firstTs: t0, lastTs: t0 + MINUTE_MS - 1 });
    // No temp or light readings: no temp or light statistics either.
    expect(RollupSchema.safeParse(out.get(minuteKey(t0))).success).toBe(true);
  });

  it('gives identical results whatever the input order (a rerun is idempotent)', () => {
    const readings: RollupReading[] = [0.1, 0.2, 0.3, 0.7].map((temp, i) => ({ id: `r${i}`, ts: t0 + i, ir: i, temp }));
    const a = computeRollups(readings, t0, t0 + MINUTE_MS);
    const b = computeRollups([...readings].reverse(), t0, t0 + MINUTE_MS);
    expect(b).toEqual(a);
  });

  it("produces documents the model's RollupSchema accepts, at the sensors' limits", () => {
    const out = computeRollups(
      [
        { id: 'x', ts: t0, ir: 4095, temp: -55, light: 4095 },
        { id: 'y', ts: t0 + 1, ir: 0, temp: 125 },
      ],
      t0,
      t0 + MINUTE_MS,
    );
    const r = out.get(minuteKey(t0));
    expect(RollupSchema.safeParse(r).success).toBe(true);
    expect(r).toEqual({
      count: 2, irMin: 0, irMax: 4095, irAvg: 2047.5,
      tempMin: -55, tempMax: 125, tempAvg: 35, tempCount: 2,
      lightMin: 4095, lightMax: 4095, lightAvg: 4095, lightCount: 1,
      firstTs: t0, lastTs: t0 + 1,
    });
  });
});

describe('rollupWindow', () => {
  const now = t0 + 10 * MINUTE_MS + 30_000;
  it('covers the minutes after the last rolled one up to the last completed minute', () => {
    expect(rollupWindow(t0 + 7 * MINUTE_MS, now, 5_000, 60)).toEqual({ fromMs: t0 + 8 * MINUTE_MS, toMs: t0 + 10 * MINUTE_MS });
  });
  it('waits for the grace period after a minute ends', () => {
    expect(rollupWindow(t0 + 9 * MINUTE_MS, t0 + 10 * MINUTE_MS + 4_000, 5_000, 60)).toBeNull();
    expect(rollupWindow(t0 + 8 * MINUTE_MS, t0 + 10 * MINUTE_MS + 5_000, 5_000, 60)).toEqual({ fromMs: t0 + 9 * MINUTE_MS, toMs: t0 + 10 * MINUTE_MS });
  });
  it('looks back at most maxMinutes, with or without earlier rollups', () => {
    expect(rollupWindow(null, now, 0, 3)).toEqual({ fromMs: t0 + 7 * MINUTE_MS, toMs: t0 + 10 * MINUTE_MS });
    expect(rollupWindow(t0 - 100 * MINUTE_MS, now, 0, 3)).toEqual({ fromMs: t0 + 7 * MINUTE_MS, toMs: t0 + 10 * MINUTE_MS });
  });
  it('has nothing to do when the last completed minute is rolled', () => {
    expect(rollupWindow(t0 + 9 * MINUTE_MS, now, 0, 60)).toBeNull();
  });
});

describe('toRollupReading', () => {
  it('skips unstamped readings and non-readings', () => {
    expect(toRollupReading('a', { ir: 1, seq: 1 })).toBeNull();
    expect(toRollupReading('a', null)).toBeNull();
    expect(toRollupReading('a', { ir: 1, seq: 1, ts: 5, temp: 2 })).toEqual({ id: 'a', ts: 5, ir: 1, temp: 2 });
  });
});
