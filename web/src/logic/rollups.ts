/**
 * Rollups over longer windows: per-minute rollups (`rollups/{id}/{YYYYMMDDHHmm}`, the model's
 * RollupSchema) merged into larger buckets. Means are weighted by their counts.
 */
import { minuteKey, minuteKeyStartMs, type Rollup } from '@firelink/model';

export const WINDOWS = [
  { id: '1h', label: 'last hour, per 5 minutes', windowMs: 3_600_000, bucketMs: 300_000 },
  { id: '6h', label: 'last 6 hours, per 30 minutes', windowMs: 21_600_000, bucketMs: 1_800_000 },
  { id: '24h', label: 'last 24 hours, per hour', windowMs: 86_400_000, bucketMs: 3_600_000 },
] as const;
export type WindowId = (typeof WINDOWS)[number]['id'];

export interface Bucket {
  startMs: number;
  count: number;
  irMin: number;
  irMax: number;
  irAvg: number;
  tempAvg?: number;
  lightAvg?: number;
}

/** The first minute key of the window ending at `nowMs` (the query's startAt on the keys). */
export function windowStartKey(nowMs: number, windowMs: number): string {
  return minuteKey(Math.max(0, nowMs - windowMs));
}

function weighted(acc: { sum: number; n: number } | undefined, avg: number | undefined, n: number | undefined): { sum: number; n: number } | undefined {
  if (avg === undefined || n === undefined) return acc;
  return { sum: (acc?.sum ?? 0) + avg * n, n: (acc?.n ?? 0) + n };
}

/** Merges minute rollups into buckets of `bucketMs`, newest first. Unparsable keys are skipped. */
export function bucketRollups(minutes: Record<string, Rollup>, bucketMs: number): Bucket[] {
  const acc = new Map<number, { count: number; irMin: number; irMax: number; irSum: number; temp?: { sum: number; n: number }; light?: { sum: number; n: number } }>();
  for (const [key, r] of Object.entries(minutes)) {
    let start: number;
    try {
      start = minuteKeyStartMs(key);
    } catch {
      continue;
    }
    const bucket = start - (start % bucketMs);
    const a = acc.get(bucket) ?? { count: 0, irMin: Infinity, irMax: -Infinity, irSum: 0 };
    a.count += r.count;
    a.irMin = Math.min(a.irMin, r.irMin);
    a.irMax = Math.max(a.irMax, r.irMax);
    a.irSum += r.irAvg * r.count;
    const temp = weighted(a.temp, r.tempAvg, r.tempCount);
    if (temp) a.temp = temp;
    const light = weighted(a.light, r.lightAvg, r.lightCount);
    if (light) a.light = light;
    acc.set(bucket, a);
  }
  return [...acc.entries()]
    .sort((x, y) => y[0] - x[0])
    .map(([startMs, a]) => ({
      startMs,
      count: a.count,
      irMin: a.irMin,
      irMax: a.irMax,
      irAvg: a.irSum / a.count,
      ...(a.temp ? { tempAvg: a.temp.sum / a.temp.n } : {}),
      ...(a.light ? { lightAvg: a.light.sum / a.light.n } : {}),
    }));
}
