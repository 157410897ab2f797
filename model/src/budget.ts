/**
 * The write budget of one Realtime Database instance: the documented per-instance limits and the
 * writes each device costs. `docs/backend.md` ("Write budget") and `docs/scaling.md` quote these
 * numbers, and the capacity planner (`planner/`) computes with them, so they live here once.
 *
 * Limits read 2026-12-02 from stored copies of
 * https://firebase.google.com/docs/database/usage/limits and
 * https://firebase.google.com/docs/database/usage/sharding ("scale beyond the limit of 200,000
 * simultaneous connections, 1,000 write operations/second, or any of the other limits for a
 * single database instance"). They are guidance for sustained load, not hard caps.
 */

/** Documented limits of ONE database instance; every one is a reason to add a shard. */
export const RTDB_INSTANCE_LIMITS = Object.freeze({
  /** Sustained writes per second (sharding page). */
  writesPerSecond: 1_000,
  /** Simultaneous connections on the Blaze plan (limits page; Spark: 100). */
  connections: 200_000,
  /** Responses (broadcasts and reads) sent per second, sustained (limits page). */
  responsesPerSecond: 100_000,
  /** Event data forwarded to Cloud Functions, bytes per second sustained ("10MB/sec"). */
  eventBytesPerSecond: 10_000_000,
});

/** Where each limit above is documented. */
export const RTDB_LIMIT_SOURCES = Object.freeze({
  writesPerSecond: 'https://firebase.google.com/docs/database/usage/sharding',
  connections: 'https://firebase.google.com/docs/database/usage/limits',
  responsesPerSecond: 'https://firebase.google.com/docs/database/usage/limits',
  eventBytesPerSecond: 'https://firebase.google.com/docs/database/usage/limits',
});

/** Writes per reading: the device's append, and `onReadingCreated`'s ONE update (state + ts). */
export const DEVICE_WRITES_PER_READING = 1;
export const FUNCTION_WRITES_PER_READING = 1;
/**
 * Function invocations per reading: `onReadingCreated` alone. It also re-evaluates the device's
 * zone after its state write (functions/src/zone-of-device.ts), so the state write fires no trigger.
 */
export const FUNCTION_INVOCATIONS_PER_READING = 1;
/**
 * The owner's fleet summary (`fleets/{uid}/{id}`, docs/backend.md "Fleet summary"): per mapped
 * reading `onReadingCreated` writes its `state` beside the reading's update; per status write
 * (heartbeat, onDisconnect, the presence sweep) `onStatusWritten` runs once and writes its `status`.
 */
export const SUMMARY_WRITES_PER_READING = 1;
export const SUMMARY_WRITES_PER_STATUS_WRITE = 1;
export const FUNCTION_INVOCATIONS_PER_STATUS_WRITE = 1;
/** Scheduled functions (functions/src/triggers/schedules.ts), each run once per period. */
export const SCHEDULED_FUNCTIONS = 5;
/** Period of the scheduled jobs: the default `FIRELINK_SCHEDULE` ("every 1 minutes"). */
export const SCHEDULE_PERIOD_MS = 60_000;
/**
 * Retention defaults (`FIRELINK_RETENTION_*`, functions/src/config.ts): paths per delete update,
 * readings kept per device, age kept.
 */
export const RETENTION_BATCH_SIZE = 500;
export const RETENTION_MAX_COUNT = 10_000;
export const RETENTION_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;

export interface DeviceRates {
  sampleMs: number;
  heartbeatMs: number;
}

/** Writes per second ONE device causes in its instance, by source. */
export interface DeviceWriteBudget {
  deviceReadings: number;
  functionReadings: number;
  heartbeats: number;
  /** The fleet summary's `state` per reading and `status` per heartbeat (`onStatusWritten`). */
  fleetSummary: number;
  /** `rollupReadings`: one update per device and run that has a new minute with readings. */
  rollups: number;
  /** `pruneReadings`: one update per `RETENTION_BATCH_SIZE` readings deleted, in steady state. */
  retention: number;
  total: number;
}

function assertRates({ sampleMs, heartbeatMs }: DeviceRates): void {
  if (!(Number.isFinite(sampleMs) && sampleMs > 0)) throw new RangeError(`sampleMs must be a positive number of milliseconds (got ${sampleMs})`);
  if (!(Number.isFinite(heartbeatMs) && heartbeatMs > 0)) throw new RangeError(`heartbeatMs must be a positive number of milliseconds (got ${heartbeatMs})`);
}

/**
 * Per device and second, with S = sampleMs and H = heartbeatMs in seconds and P the schedule
 * period: `2/S + 1/H + (1/S + 1/H) (fleet summary) + min(1/P, 1/S) (rollup) + retention`, where
 * retention in steady state deletes as many readings as arrive: `ceil((P/S) / 500) / P` while
 * S <= P, else `1/S` (one reading per run). Status writes are counted as heartbeats only
 * (onDisconnect and the presence sweep are rare).
 * At S = 1, H = 30: 2 + 1/30 + (1 + 1/30) + 1/60 + 1/60 = 3.1 writes/s (322 devices per instance).
 */
export function deviceWriteBudget(rates: DeviceRates): DeviceWriteBudget {
  assertRates(rates);
  const sampleS = rates.sampleMs / 1000;
  const periodS = SCHEDULE_PERIOD_MS / 1000;
  const readingsPerSecond = 1 / sampleS;
  const deviceReadings = DEVICE_WRITES_PER_READING * readingsPerSecond;
  const functionReadings = FUNCTION_WRITES_PER_READING * readingsPerSecond;
  const heartbeats = 1000 / rates.heartbeatMs;
  const fleetSummary = SUMMARY_WRITES_PER_READING * readingsPerSecond + SUMMARY_WRITES_PER_STATUS_WRITE * heartbeats;
  const rollups = Math.min(1 / periodS, readingsPerSecond);
  const retention = sampleS <= periodS ? Math.ceil(periodS / sampleS / RETENTION_BATCH_SIZE) / periodS : readingsPerSecond;
  return {
    deviceReadings,
    functionReadings,
    heartbeats,
    fleetSummary,
    rollups,
    retention,
    total: deviceReadings + functionReadings + heartbeats + fleetSummary + rollups + retention,
  };
}

/** Devices one instance holds before its sustained write limit, with no headroom. */
export function devicesPerInstanceByWrites(rates: DeviceRates): number {
  return Math.floor(RTDB_INSTANCE_LIMITS.writesPerSecond / deviceWriteBudget(rates).total);
}
