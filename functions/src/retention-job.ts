/**
 * Retention, the I/O half. Per device: delete readings older than the age cutoff, then readings
 * beyond the newest `maxCount`, oldest first, `batchSize` paths per update and at most
 * `maxBatches` updates per run (the next run continues). Queries use the indexed `ts`;
 * `startAt(0)` skips unstamped readings, which sort first (null before numbers).
 */
import type { Reference } from 'firebase-admin/database';
import { readingsPath } from '@firelink/model';
import { forEachDevice } from './fleet.js';
import { logs } from './logs.js';
import { ageCutoffMs, countBoundary, deletionUpdates, type RetentionPolicy } from './retention.js';

export interface RetentionOptions extends RetentionPolicy {
  nowMs: number;
  batchSize: number;
  maxBatches: number;
  /** This database's upper bounds on each device's stamped readings, from earlier runs (see CountBounds). */
  bounds?: CountBounds;
}

interface CountBound {
  /** At least as many stamped readings as the device holds. */
  count: number;
  /** The newest `ts` counted into `count`. */
  newestTs: number;
  /** When `count` was last exact. */
  exactAtMs: number;
}

/**
 * What an instance remembers between retention runs, so a device far below `maxCount` costs a
 * run only the readings stamped since the last one, not all of its readings (the count boundary
 * downloads up to `maxCount + 1` of them: most of the job's download bill, docs/scaling.md).
 * A bound only ever over-counts: readings are stamped with server time, so whatever the last run
 * did not count has a `ts` at or after the newest it did (`startAt` that `ts`, inclusive, counts
 * some twice); deletions only lower the true count. The exact count runs whenever the bound
 * passes `maxCount`, and every `exactEveryMs` anyway: an admin import with old `ts` values is the
 * one thing a bound misses, for that long at most. Nothing is deleted on a bound alone.
 */
export class CountBounds {
  private readonly entries = new Map<string, CountBound>();

  constructor(
    private readonly limit = 50_000,
    readonly exactEveryMs = 60 * 60 * 1000,
  ) {}

  get(key: string, nowMs: number): CountBound | undefined {
    const entry = this.entries.get(key);
    if (entry !== undefined && nowMs - entry.exactAtMs >= this.exactEveryMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  set(key: string, bound: CountBound): void {
    this.entries.delete(key);
    this.entries.set(key, bound);
    if (this.entries.size > this.limit) this.entries.delete(this.entries.keys().next().value as string);
  }

  delete(key: string): void {
    this.entries.delete(key);
  }
}

export interface RetentionResult {
  byAge: number;
  byCount: number;
  /** True when the batch limit stopped the run with deletable readings left. */
  more: boolean;
}

function keysOf(snap: { forEach(cb: (child: { key: string | null }) => boolean | void): boolean }): string[] {
  const ids: string[] = [];
  snap.forEach((child) => {
    if (child.key !== null) ids.push(child.key);
  });
  return ids;
}

export async function retainDevice(root: Reference, deviceId: string, options: RetentionOptions): Promise<RetentionResult> {
  const path = readingsPath(deviceId);
  const readings = root.child(path);
  const result: RetentionResult = { byAge: 0, byCount: 0, more: false };
  let batches = 0;

  const deleteUpTo = async (endTs: number, endKey: string | undefined, counter: 'byAge' | 'byCount'): Promise<void> => {
    for (;;) {
      if (batches >= options.maxBatches) {
        result.more = true;
        return;
      }
      const query = endKey === undefined
        ? readings.orderByChild('ts').startAt(0).endAt(endTs)
        : readings.orderByChild('ts').startAt(0).endAt(endTs, endKey);
      const ids = keysOf(await query.limitToFirst(options.batchSize).get());
      if (ids.length === 0) return;
      // At the readings node, not the root (rollup-job.ts says why).
      await readings.update(deletionUpdates(ids));
      batches += 1;
      result[counter] += ids.length;
      if (ids.length < options.batchSize) return;
    }
  };

  await deleteUpTo(ageCutoffMs(options.nowMs, options), undefined, 'byAge');
  if (!result.more && !(await withinBound(readings, deviceId, options))) {
    const newest = await readings.orderByChild('ts').startAt(0).limitToLast(options.maxCount + 1).get();
    const ascending: { id: string; ts: number }[] = [];
    newest.forEach((child) => {
      const ts = child.child('ts').val();
      if (child.key !== null && typeof ts === 'number') ascending.push({ id: child.key, ts });
    });
    const boundary = countBoundary(ascending, options);
    if (boundary !== null) await deleteUpTo(boundary.ts, boundary.id, 'byCount');
    // Exact now, unless the batch limit left readings over the count for the next run.
    if (result.more) options.bounds?.delete(deviceId);
    else {
      const count = Math.min(ascending.length, options.maxCount);
      options.bounds?.set(deviceId, { count, newestTs: ascending.at(-1)?.ts ?? 0, exactAtMs: options.nowMs });
    }
  }
  const deleted = result.byAge + result.byCount;
  if (deleted > 0 || result.more) logs.retentionDeleted(deviceId, { deleted, ...result });
  return result;
}

/**
 * True when the device's bound, raised by the readings stamped since it was taken, is still at or
 * below `maxCount` (and is kept raised): nothing to delete by count, no need to count exactly.
 */
async function withinBound(readings: Reference, key: string, options: RetentionOptions): Promise<boolean> {
  const bound = options.bounds?.get(key, options.nowMs);
  if (options.bounds === undefined || bound === undefined) return false;
  const since = await readings.orderByChild('ts').startAt(bound.newestTs).get();
  let added = 0;
  let newestTs = bound.newestTs;
  since.forEach((child) => {
    const ts = child.child('ts').val();
    if (typeof ts !== 'number') return;
    added += 1;
    if (ts > newestTs) newestTs = ts;
  });
  const count = bound.count + added;
  if (count > options.maxCount) return false;
  options.bounds.set(key, { count, newestTs, exactAtMs: bound.exactAtMs });
  return true;
}

export async function retainFleet(
  root: Reference,
  deviceIds: readonly string[],
  options: RetentionOptions,
): Promise<{ results: Record<string, RetentionResult>; failed: number }> {
  const results: Record<string, RetentionResult> = {};
  const { failed } = await forEachDevice(deviceIds, 'retention', async (deviceId) => {
    results[deviceId] = await retainDevice(root, deviceId, options);
  });
  return { results, failed };
}
