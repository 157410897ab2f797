/**
 * Rollups, the I/O half. Per device: the newest rollup key says where the last run stopped; the
 * readings of the minutes since (by the indexed `ts`) are summed and every new minute is written
 * in ONE update. A rerun over the same minutes finds them rolled and writes nothing.
 * Reads: one key query + one `ts` range query per device. Writes: one per device with new minutes.
 */
import type { Reference } from 'firebase-admin/database';
import { minuteKeyStartMs, readingsPath, rollupsPath } from '@firelink/model';
import { forEachDevice } from './fleet.js';
import { logs } from './logs.js';
import { computeRollups, rollupWindow, toRollupReading, type RollupReading } from './rollups.js';

export interface RollupOptions {
  nowMs: number;
  graceMs: number;
  maxMinutes: number;
}

export async function rollupDevice(root: Reference, deviceId: string, options: RollupOptions): Promise<string[]> {
  const last = await root.child(rollupsPath(deviceId)).orderByKey().limitToLast(1).get();
  let lastStartMs: number | null = null;
  last.forEach((child) => {
    if (child.key !== null) lastStartMs = minuteKeyStartMs(child.key);
  });
  const window = rollupWindow(lastStartMs, options.nowMs, options.graceMs, options.maxMinutes);
  if (window === null) return [];
  const snap = await root
    .child(readingsPath(deviceId))
    .orderByChild('ts')
    .startAt(window.fromMs)
    .endAt(window.toMs - 1)
    .get();
  const readings: RollupReading[] = [];
  snap.forEach((child) => {
    const r = child.key === null ? null : toRollupReading(child.key, child.val());
    if (r !== null) readings.push(r);
  });
  const rollups = computeRollups(readings, window.fromMs, window.toMs);
  if (rollups.size === 0) return [];
  // At the device's rollups node, not the root: the SDK rebuilds its write tree from every pending
  // write when a write at a path containing them is acknowledged (reading-handler.ts `write`).
  await root.child(rollupsPath(deviceId)).update(Object.fromEntries(rollups));
  const minutes = [...rollups.keys()].sort();
  logs.rollupsWritten(deviceId, { minutes });
  return minutes;
}

export async function rollupFleet(
  root: Reference,
  deviceIds: readonly string[],
  options: RollupOptions,
): Promise<{ written: Record<string, string[]>; failed: number }> {
  const written: Record<string, string[]> = {};
  const { failed } = await forEachDevice(deviceIds, 'rollups', async (deviceId) => {
    const minutes = await rollupDevice(root, deviceId, options);
    if (minutes.length > 0) written[deviceId] = minutes;
  });
  return { written, failed };
}
