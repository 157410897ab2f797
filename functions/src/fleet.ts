/**
 * Walking the fleet in scheduled jobs, per shard (docs/scaling.md, step 4). A shard's devices are
 * its entries in the directory `deviceShards` on the default instance, queried by value
 * (`.indexOn: ".value"`), so no shard is read whole. Devices without an entry predate the
 * directory and live on the default instance: they are the owned ids (`users/{uid}/devices`)
 * that no shard lists and whose own entry is absent. Devices are visited with bounded concurrency,
 * optionally paced over part of the minute (FIRELINK_JOB_SPREAD_SECONDS).
 */
import type { Reference } from 'firebase-admin/database';
import { DEVICE_ID_PATTERN, DEVICE_SHARDS, USERS, deviceShardPath } from '@firelink/model';
import { logs } from './logs.js';
import { config } from './config.js';

/** Ids of every owned device, sorted, without duplicates. */
export async function listDeviceIds(root: Reference): Promise<string[]> {
  const users = (await root.child(USERS).get()).val() as Record<string, { devices?: Record<string, unknown> }> | null;
  const ids = new Set<string>();
  for (const user of Object.values(users ?? {})) {
    for (const [id, owned] of Object.entries(user?.devices ?? {})) {
      if (owned === true && DEVICE_ID_PATTERN.test(id)) ids.add(id);
    }
  }
  return [...ids].sort();
}

/** Ids the directory assigns to `instance`, sorted. */
export async function listedDeviceIds(directory: Reference, instance: string): Promise<string[]> {
  const snap = await directory.child(DEVICE_SHARDS).orderByValue().equalTo(instance).get();
  const ids: string[] = [];
  snap.forEach((child) => {
    if (child.key !== null && DEVICE_ID_PATTERN.test(child.key)) ids.push(child.key);
  });
  return ids.sort();
}

/**
 * Each shard's device ids, in the order of `shards`. `defaultInstance` (the directory's own
 * instance) also gets the owned devices without a directory entry; an entry naming an instance
 * that is not in `shards` is skipped (its jobs run where that instance is configured).
 */
export async function listShardDevices(directory: Reference, defaultInstance: string, shards: readonly string[]): Promise<Map<string, string[]>> {
  const byShard = new Map<string, string[]>();
  for (const shard of shards) byShard.set(shard, await listedDeviceIds(directory, shard));
  if (!byShard.has(defaultInstance)) return byShard;
  const listed = new Set([...byShard.values()].flat());
  const unlisted: string[] = [];
  for (const id of await listDeviceIds(directory)) {
    if (listed.has(id)) continue;
    // Absent: a device from before the directory. Present: an instance not configured here.
    if (!(await directory.child(deviceShardPath(id)).get()).exists()) unlisted.push(id);
  }
  if (unlisted.length > 0) byShard.set(defaultInstance, [...byShard.get(defaultInstance)!, ...unlisted].sort());
  return byShard;
}

/** Longest wait between two visit starts, so that a small fleet (a test's few devices) is done quickly. */
export const MAX_PACE_INTERVAL_MS = 50;

/**
 * The spread of one job's visits on one shard: FIRELINK_JOB_SPREAD_SECONDS shared equally by the
 * shards, which a job visits one after another (schedules.ts `onEveryDatabase`), so that a run
 * over every shard starts its last visit within the spread, before the next tick.
 */
export function shardSpreadMs(spreadSeconds = config.jobSpreadSeconds, shards = Math.max(1, config.databaseUrls.length)): number {
  return (spreadSeconds * 1000) / shards;
}

/**
 * Runs `job` for every device, `concurrency` at a time. One device's failure is logged with its
 * id and does not stop the others; the count of failures is returned.
 *
 * With `spreadMs` > 0, visits also start at most one per `min(spreadMs / devices,
 * MAX_PACE_INTERVAL_MS)`: the five jobs start on the same tick, and spreading their work over the
 * minute keeps that burst from queueing ahead of the devices' writes (docs/backend.md). A visit
 * that starts late (a slow database) moves the pace on from then: no burst to catch up.
 */
export async function forEachDevice(
  deviceIds: readonly string[],
  jobName: string,
  job: (deviceId: string) => Promise<void>,
  concurrency = config.jobConcurrency,
  spreadMs = shardSpreadMs(),
): Promise<{ failed: number }> {
  const intervalMs = spreadMs > 0 ? Math.min(spreadMs / deviceIds.length, MAX_PACE_INTERVAL_MS) : 0;
  let nextStartMs = Date.now();
  let next = 0;
  let failed = 0;
  const worker = async (): Promise<void> => {
    while (next < deviceIds.length) {
      const deviceId = deviceIds[next++] as string;
      if (intervalMs > 0) {
        const startMs = Math.max(nextStartMs, Date.now());
        nextStartMs = startMs + intervalMs;
        if (startMs > Date.now()) await new Promise((resolve) => setTimeout(resolve, startMs - Date.now()));
      }
      try {
        await job(deviceId);
      } catch (err) {
        failed += 1;
        logs.jobFailed(deviceId, { job: jobName, problem: err instanceof Error ? err.message : String(err) });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, deviceIds.length) }, worker));
  return { failed };
}
