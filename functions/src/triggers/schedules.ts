/**
 * Scheduled jobs. Each visits every owned device (users/{uid}/devices) in bounded batches.
 *   sweepPresence:  devices/{id}/status/online = false when the heartbeat is older than N periods.
 *   sweepZones:     zones/{id}/alert cleared when its window passed without new readings.
 *   rollupReadings: rollups/{id}/{minuteKey} for each completed minute with readings.
 *   pruneReadings:  deletes devices/{id}/readings/* past the age or count limit.
 *   expireCommands: devices/{id}/commands/{cid}/result = expired, when unacknowledged too long.
 */
import { onSchedule } from 'firebase-functions/v2/scheduler';
import { ZONES } from '@firelink/model';
import { expireFleetCommands } from '../commands-job.js';
import { config } from '../config.js';
import { rootRef } from '../db.js';
import { listDeviceIds } from '../fleet.js';
import { sweepPresence as sweepPresenceJob } from '../presence-job.js';
import { retainFleet } from '../retention-job.js';
import { rollupFleet } from '../rollup-job.js';
import { evaluateZone } from '../zone-handler.js';

/** A job that failed for some devices fails the run, so Cloud Scheduler shows it (each device's error is logged). */
function failOn(job: string, result: { failed: number }): void {
  if (result.failed > 0) throw new Error(`${job}: ${result.failed} device(s) failed; see the "job failed for device" log lines`);
}

const options = { schedule: config.schedule, region: config.region, timeZone: 'UTC', timeoutSeconds: 300 };
const DAY_MS = 24 * 60 * 60 * 1000;

export const sweepPresence = onSchedule(options, async () => {
  const root = rootRef();
  failOn('sweepPresence', await sweepPresenceJob(root, await listDeviceIds(root), Date.now(), config.presenceMissedHeartbeats));
});

export const sweepZones = onSchedule(options, async () => {
  const root = rootRef();
  const zones = (await root.child(ZONES).get()).val() as Record<string, { alert?: unknown }> | null;
  const rule = { irThreshold: config.zoneIrThreshold, windowMs: config.zoneWindowMs, minDevices: config.zoneMinDevices };
  const now = Date.now();
  for (const [zoneId, zone] of Object.entries(zones ?? {})) {
    if (zone?.alert !== undefined && zone.alert !== null) await evaluateZone(root, zoneId, rule, now, null);
  }
});

export const rollupReadings = onSchedule(options, async () => {
  const root = rootRef();
  const result = await rollupFleet(root, await listDeviceIds(root), {
    nowMs: Date.now(),
    graceMs: config.rollupGraceMs,
    maxMinutes: config.rollupMaxMinutesPerRun,
  });
  failOn('rollupReadings', result);
});

export const pruneReadings = onSchedule(options, async () => {
  const root = rootRef();
  const result = await retainFleet(root, await listDeviceIds(root), {
    nowMs: Date.now(),
    maxAgeMs: config.retentionMaxAgeMs,
    maxCount: config.retentionMaxCount,
    batchSize: config.retentionBatchSize,
    maxBatches: config.retentionMaxBatchesPerRun,
  });
  failOn('pruneReadings', result);
});

export const expireCommands = onSchedule(options, async () => {
  const root = rootRef();
  const result = await expireFleetCommands(root, await listDeviceIds(root), {
    nowMs: Date.now(),
    timeoutMs: config.commandTimeoutMs,
    lookbackMs: DAY_MS,
  });
  failOn('expireCommands', result);
});
