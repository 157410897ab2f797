/**
 * Scheduled jobs. Each visits every shard (FIRELINK_DATABASE_URLS, or the default database alone)
 * one after another, and on each the devices the directory assigns to it (fleet.ts), in bounded
 * batches.
 *   sweepPresence:  devices/{id}/status/online = false when the heartbeat is older than N periods.
 *   sweepZones:     zones/{id}/alert cleared when its window passed without new readings.
 *   rollupReadings: rollups/{id}/{minuteKey} for each completed minute with readings.
 *   pruneReadings:  deletes devices/{id}/readings/* past the age or count limit.
 *   expireCommands: devices/{id}/commands/{cid}/result = expired, when unacknowledged too long.
 */
import type { Reference } from 'firebase-admin/database';
import { onSchedule } from 'firebase-functions/v2/scheduler';
import { ZONES } from '@firelink/model';
import { expireFleetCommands } from '../commands-job.js';
import { config, defaultZoneRule, params } from '../config.js';
import { databases } from '../db.js';
import { listShardDevices } from '../fleet.js';
import { RecentResult } from '../recent-result.js';
import { sweepPresence as sweepPresenceJob } from '../presence-job.js';
import { CountBounds, retainFleet } from '../retention-job.js';
import { rollupFleet } from '../rollup-job.js';
import { evaluateZone } from '../zone-handler.js';

const options = { schedule: config.schedule, region: params.region, timeZone: 'UTC', timeoutSeconds: 300 };
const DAY_MS = 24 * 60 * 60 * 1000;
/**
 * The jobs share a schedule, so each tick they list the fleet at the same instant. Where they run
 * in one process (the local functions host runs them all) the first listing of a tick, keyed by
 * its `scheduleTime`, serves the others. A run by hand has a time of its own and lists afresh;
 * deployed, each job is its own service and lists for itself.
 */
const LISTING_SHARED_MS = 60_000;
const recentListing = new RecentResult<Map<string, string[]>>(LISTING_SHARED_MS);

/**
 * Runs `job` on every shard with the ids of its devices (shards one after another). A job that
 * failed for some devices fails the run, so Cloud Scheduler shows it; each device's error is
 * already logged with its id.
 */
async function onEveryDatabase(
  scheduleTime: string,
  name: string,
  job: (root: Reference, deviceIds: string[], instance: string) => Promise<{ failed: number }>,
  options: { listDevices: boolean } = { listDevices: true },
): Promise<void> {
  const { directory, shards } = databases();
  const instances = shards.map((s) => s.instance);
  const devices = options.listDevices
    ? await recentListing.get(`${scheduleTime}|${directory.instance}|${instances.join(',')}`, () => listShardDevices(directory.root, directory.instance, instances))
    : new Map<string, string[]>();
  let failed = 0;
  for (const shard of shards) failed += (await job(shard.root, devices.get(shard.instance) ?? [], shard.instance)).failed;
  if (failed > 0) throw new Error(`${name}: ${failed} device(s) failed; see the "job failed for device" log lines`);
}

export const sweepPresence = onSchedule(options, (event) =>
  onEveryDatabase(event.scheduleTime, 'sweepPresence', async (root, deviceIds) =>
    sweepPresenceJob(root, deviceIds, Date.now(), config.presenceMissedHeartbeats),
  ),
);

export const sweepZones = onSchedule(options, (event) =>
  onEveryDatabase(event.scheduleTime, 'sweepZones', async (root) => {
    const zones = (await root.child(ZONES).get()).val() as Record<string, { alert?: unknown }> | null;
    const now = Date.now();
    for (const [zoneId, zone] of Object.entries(zones ?? {})) {
      if (zone?.alert !== undefined && zone.alert !== null) await evaluateZone(root, zoneId, defaultZoneRule, now, null);
    }
    return { failed: 0 };
  }, { listDevices: false }),
);

export const rollupReadings = onSchedule(options, (event) =>
  onEveryDatabase(event.scheduleTime, 'rollupReadings', async (root, deviceIds) =>
    rollupFleet(root, deviceIds, {
      nowMs: Date.now(),
      graceMs: config.rollupGraceMs,
      maxMinutes: config.rollupMaxMinutesPerRun,
    }),
  ),
);

/** Per database instance, what this functions instance remembers between retention runs. */
const countBounds = new Map<string, CountBounds>();

export const pruneReadings = onSchedule(options, (event) =>
  onEveryDatabase(event.scheduleTime, 'pruneReadings', async (root, deviceIds, instance) =>
    retainFleet(root, deviceIds, {
      bounds: countBounds.get(instance) ?? countBounds.set(instance, new CountBounds()).get(instance),
      nowMs: Date.now(),
      maxAgeMs: config.retentionMaxAgeMs,
      maxCount: config.retentionMaxCount,
      batchSize: config.retentionBatchSize,
      maxBatches: config.retentionMaxBatchesPerRun,
    }),
  ),
);

export const expireCommands = onSchedule(options, (event) =>
  onEveryDatabase(event.scheduleTime, 'expireCommands', async (root, deviceIds) =>
    expireFleetCommands(root, deviceIds, {
      nowMs: Date.now(),
      timeoutMs: config.commandTimeoutMs,
      lookbackMs: DAY_MS,
    }),
  ),
);
