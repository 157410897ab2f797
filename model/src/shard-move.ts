/**
 * Moving a device between shards, as path maps for `update()` (docs/scaling.md "How: the shard
 * design", step 6). NOT WIRED YET: groundwork for the move command, which runs these steps:
 *   1. read `devices/{id}` and `rollups/{id}` on the source; write `copy` on the target (one update);
 *   2. write `switchDirectory` on the default instance and tell the device to reconnect; wait
 *      until it writes to the target (its `status` there), so no reading lands on the source any more;
 *   3. read the source's readings again; write `readingsDelta(...)` on the target (readings that
 *      landed on the source between 1 and the reconnect; the target's triggers map them);
 *   4. write `remove` on the source (one update).
 * Two instances cannot be written atomically, so each step is idempotent: a move stopped halfway
 * is repeated from step 1.
 */
import { ContractError } from './errors.js';
import { fleetEntryPath, summaryOfDevice } from './fleet-summary.js';
import { devicePath, readingsPath, rollupsPath } from './paths.js';
import { assertInstanceName, deviceShardPath } from './shards.js';

export interface DeviceSnapshot {
  /** The value of `devices/{id}` on the source (meta, config, state, status, readings, commands). */
  device: Record<string, unknown>;
  /** The value of `rollups/{id}` on the source, or null when it has none. */
  rollups: Record<string, unknown> | null;
}

export interface MovePlan {
  from: string;
  to: string;
  /** Step 1, on the target. */
  copy: Record<string, unknown>;
  /** Step 2, on the default instance. */
  switchDirectory: Record<string, string>;
  /** Step 4, on the source. */
  remove: Record<string, null>;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function deviceMovePlan(deviceId: string, from: string, to: string, snapshot: DeviceSnapshot): MovePlan {
  assertInstanceName(from, 'from');
  assertInstanceName(to, 'to');
  if (from === to) throw new ContractError('invalid-data', 'to', `the device is already on ${to}: nothing to move`);
  if (!isObject(snapshot.device)) {
    throw new ContractError('invalid-data', 'snapshot.device', `devices/${deviceId} is empty on ${from}: read it from the device's current shard`);
  }
  const copy: Record<string, unknown> = { [devicePath(deviceId)]: snapshot.device };
  if (snapshot.rollups !== null) copy[rollupsPath(deviceId)] = snapshot.rollups;
  const remove: Record<string, null> = { [devicePath(deviceId)]: null, [rollupsPath(deviceId)]: null };
  // The owner's fleet summary entry moves with the device (model/src/fleet-summary.ts).
  const summary = summaryOfDevice(snapshot.device);
  if (summary !== null) {
    copy[fleetEntryPath(summary.owner, deviceId)] = summary.entry;
    remove[fleetEntryPath(summary.owner, deviceId)] = null;
  }
  return { from, to, copy, switchDirectory: { [deviceShardPath(deviceId)]: to }, remove };
}

/**
 * Step 3: the readings on the source that the copy did not carry, as one update for the target.
 * A reading already copied is left alone (the target's copy may have gained its `ts` since).
 */
export function readingsDelta(deviceId: string, copied: DeviceSnapshot, sourceReadingsNow: Record<string, unknown> | null): Record<string, unknown> {
  const before = isObject(copied.device.readings) ? copied.device.readings : {};
  const updates: Record<string, unknown> = {};
  for (const [readingId, reading] of Object.entries(sourceReadingsNow ?? {})) {
    if (!(readingId in before)) updates[`${readingsPath(deviceId)}/${readingId}`] = reading;
  }
  return updates;
}
