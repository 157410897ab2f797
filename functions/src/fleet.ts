/**
 * Walking the fleet in scheduled jobs. Device ids come from the ownership index `users/{uid}/devices`
 * (small `true` leaves) because the Admin SDK cannot read `devices` shallowly, and reading it
 * whole would download every reading. Devices are visited with bounded concurrency.
 */
import type { Reference } from 'firebase-admin/database';
import { DEVICE_ID_PATTERN, USERS } from '@firelink/model';
import { logs } from './logs.js';

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

/**
 * Runs `job` for every device, `concurrency` at a time. One device's failure is logged with its
 * id and does not stop the others; the count of failures is returned.
 */
export async function forEachDevice(
  deviceIds: readonly string[],
  jobName: string,
  job: (deviceId: string) => Promise<void>,
  concurrency = 16,
): Promise<{ failed: number }> {
  let next = 0;
  let failed = 0;
  const worker = async (): Promise<void> => {
    while (next < deviceIds.length) {
      const deviceId = deviceIds[next++] as string;
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
