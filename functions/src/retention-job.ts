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
      await root.update(deletionUpdates(path, ids));
      batches += 1;
      result[counter] += ids.length;
      if (ids.length < options.batchSize) return;
    }
  };

  await deleteUpTo(ageCutoffMs(options.nowMs, options), undefined, 'byAge');
  if (!result.more) {
    const newest = await readings.orderByChild('ts').startAt(0).limitToLast(options.maxCount + 1).get();
    const ascending: { id: string; ts: number }[] = [];
    newest.forEach((child) => {
      const ts = child.child('ts').val();
      if (child.key !== null && typeof ts === 'number') ascending.push({ id: child.key, ts });
    });
    const boundary = countBoundary(ascending, options);
    if (boundary !== null) await deleteUpTo(boundary.ts, boundary.id, 'byCount');
  }
  const deleted = result.byAge + result.byCount;
  if (deleted > 0 || result.more) logs.retentionDeleted(deviceId, { deleted, ...result });
  return result;
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
