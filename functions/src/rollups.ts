/**
 * Per-minute rollups, the pure half: min, max, mean and count of every sensor over the readings
 * whose server `ts` falls in each UTC minute. One rollup per device-minute; minutes without
 * readings have none. The stored shape is the model's RollupSchema.
 */
import { RollupSchema, minuteKey, validate, type Rollup } from '@firelink/model';

export interface RollupReading {
  id: string;
  ts: number;
  ir: number;
  temp?: number;
  light?: number;
}

export const MINUTE_MS = 60_000;

interface Stat {
  min: number;
  max: number;
  sum: number;
  count: number;
}

function add(stat: Stat | undefined, value: number): Stat {
  if (stat === undefined) return { min: value, max: value, sum: value, count: 1 };
  return { min: Math.min(stat.min, value), max: Math.max(stat.max, value), sum: stat.sum + value, count: stat.count + 1 };
}

/** A reading as stored, or null when it cannot be rolled up (not stamped yet, or not a reading). */
export function toRollupReading(id: string, value: unknown): RollupReading | null {
  if (value === null || typeof value !== 'object') return null;
  const { ts, ir, temp, light } = value as Record<string, unknown>;
  if (typeof ts !== 'number' || typeof ir !== 'number') return null;
  return {
    id,
    ts,
    ir,
    ...(typeof temp === 'number' ? { temp } : {}),
    ...(typeof light === 'number' ? { light } : {}),
  };
}

/**
 * Rollups of the minutes in [fromMs, toMs) (both minute boundaries), keyed by minute key.
 * Readings are summed in (ts, id) order so a rerun gives bit-identical means.
 */
export function computeRollups(readings: readonly RollupReading[], fromMs: number, toMs: number): Map<string, Rollup> {
  const sorted = readings
    .filter((r) => r.ts >= fromMs && r.ts < toMs)
    .sort((a, b) => a.ts - b.ts || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const buckets = new Map<string, { ir?: Stat; temp?: Stat; light?: Stat; firstTs: number; lastTs: number }>();
  for (const r of sorted) {
    const key = minuteKey(r.ts - (r.ts % MINUTE_MS));
    const b = buckets.get(key) ?? { firstTs: r.ts, lastTs: r.ts };
    b.ir = add(b.ir, r.ir);
    if (r.temp !== undefined) b.temp = add(b.temp, r.temp);
    if (r.light !== undefined) b.light = add(b.light, r.light);
    b.lastTs = r.ts;
    buckets.set(key, b);
  }
  const out = new Map<string, Rollup>();
  for (const [key, b] of buckets) {
    const ir = b.ir as Stat;
    const doc: Rollup = {
      count: ir.count,
      irMin: ir.min,
      irMax: ir.max,
      irAvg: ir.sum / ir.count,
      firstTs: b.firstTs,
      lastTs: b.lastTs,
      ...(b.temp
        ? { tempMin: b.temp.min, tempMax: b.temp.max, tempAvg: b.temp.sum / b.temp.count, tempCount: b.temp.count }
        : {}),
      ...(b.light
        ? { lightMin: b.light.min, lightMax: b.light.max, lightAvg: b.light.sum / b.light.count, lightCount: b.light.count }
        : {}),
    };
    const checked = validate(RollupSchema, doc, 'rollup');
    if (!checked.ok) throw checked.error;
    out.set(key, checked.value);
  }
  return out;
}

/**
 * The minutes one run covers: from the minute after the last rolled one (or `maxMinutes` back
 * when there is none, or it is older) up to the last minute that ended `graceMs` ago.
 */
export function rollupWindow(
  lastRolledStartMs: number | null,
  nowMs: number,
  graceMs: number,
  maxMinutes: number,
): { fromMs: number; toMs: number } | null {
  const toMs = Math.floor((nowMs - graceMs) / MINUTE_MS) * MINUTE_MS;
  const earliest = toMs - maxMinutes * MINUTE_MS;
  const fromMs = Math.max(lastRolledStartMs === null ? earliest : lastRolledStartMs + MINUTE_MS, earliest);
  return fromMs < toMs ? { fromMs, toMs } : null;
}
