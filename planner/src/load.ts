/**
 * The load ONE device puts on its database instance and on Cloud Functions, per second, from the
 * write budget (model/src/budget.ts) and the traffic assumptions (assumptions.ts). Pure.
 */
import {
  FUNCTION_INVOCATIONS_PER_READING,
  FUNCTION_INVOCATIONS_PER_STATUS_WRITE,
  RETENTION_MAX_AGE_MS,
  RETENTION_MAX_COUNT,
  SCHEDULE_PERIOD_MS,
  deviceWriteBudget,
  type DeviceWriteBudget,
} from '@firelink/model';
import { BYTES, HANDSHAKES_PER_DEVICE_HOUR, JOBS, TRANSPORTS, jsonBytes, type Transport } from './assumptions.js';

export interface DeviceProfile {
  sampleMs: number;
  heartbeatMs: number;
  transport: Transport;
  /** Open dashboards watching each device's state, on average. */
  watchersPerDevice: number;
  /** Months of rollups kept (nothing prunes rollups yet). */
  months: number;
  /** Devices per zone (0: devices belong to no zone). */
  zoneSize: number;
  /**
   * `current`: pruneReadings reads the newest RETENTION_MAX_COUNT + 1 readings every run (today's
   * functions/src/retention-job.ts); `fixed`: it reads only the readings it deletes (a proposed fix).
   */
  retentionRead: 'current' | 'fixed';
}

/** Bytes per second the database sends out because of one device, by cause. */
export interface DownloadBreakdown {
  /** Replies to the device's writes (REST answers with the data written). */
  deviceWriteReplies: number;
  /** Each new state pushed to the device's own listener. */
  stateToDevice: number;
  /** Each new state pushed to open dashboards. */
  stateToWatchers: number;
  /** `--streams state` devices read config and commands every heartbeat. */
  devicePolls: number;
  /** TLS handshakes of reopened connections. */
  handshakes: number;
  /** `onReadingCreated` reads the reading, config and state; its update's and the summary's acks. */
  readingFunction: number;
  /** `onStatusWritten`: the ack of the fleet summary's `status` (the owner comes from a listener). */
  statusFunction: number;
  /**
   * `onReadingCreated`, after its state write, evaluates the device's zone: in a zone it reads the
   * zone's members, alert, rule and every member's state (the zone itself comes from a listener).
   */
  zoneEvaluation: number;
  /** `rollupReadings` reads the last rollup key and every new reading once. */
  rollupJob: number;
  /** `pruneReadings` reads the newest RETENTION_MAX_COUNT + 1 readings EVERY run, and each deleted one. */
  retentionJob: number;
  /** `sweepPresence` reads status and heartbeat. */
  presenceJob: number;
  /** `expireCommands` queries the commands. */
  commandsJob: number;
  /** Scheduled jobs read the whole ownership index every run to list devices. */
  ownershipIndex: number;
  total: number;
}

export interface StorageBreakdown {
  readings: number;
  rollups: number;
  documents: number;
  total: number;
}

export interface DeviceLoad {
  writesPerSecond: DeviceWriteBudget;
  /** Trigger invocations (the scheduled ones are per project, see SCHEDULED_FUNCTIONS). */
  invocationsPerSecond: number;
  /** Event data forwarded to Cloud Functions. */
  eventBytesPerSecond: number;
  connections: number;
  responsesPerSecond: number;
  downloadBytesPerSecond: DownloadBreakdown;
  storageBytes: StorageBreakdown;
  /** Readings kept per device in steady state (count or age limit, whichever binds first). */
  readingsKept: number;
}

export function deviceLoad(profile: DeviceProfile): DeviceLoad {
  const writes = deviceWriteBudget(profile);
  const transport = TRANSPORTS[profile.transport];
  const sampleS = profile.sampleMs / 1000;
  const periodS = SCHEDULE_PERIOD_MS / 1000;
  const readings = 1 / sampleS;
  const heartbeats = 1000 / profile.heartbeatMs;
  const runs = 1 / periodS;
  const tls = BYTES.tlsRecord;
  const wire = BYTES.wireMessage + tls;
  const ack = BYTES.wireAck + tls;
  const readingsKept = Math.min(RETENTION_MAX_COUNT, Math.floor(RETENTION_MAX_AGE_MS / profile.sampleMs));

  const restReply = (body: number) => BYTES.httpResponseHeaders + body + tls;
  const deviceWriteReplies = transport.rest
    ? readings * restReply(BYTES.readingWrite) + heartbeats * restReply(BYTES.status)
    : (readings + heartbeats) * ack;
  const stateToDevice = readings * (transport.rest ? BYTES.sseEvent + BYTES.state + tls : BYTES.wireMessage + BYTES.state + tls);
  const stateToWatchers = profile.watchersPerDevice * readings * (BYTES.wireMessage + BYTES.state + tls);
  const devicePolls =
    transport.pollsPerHeartbeat === 0
      ? 0
      : heartbeats * (transport.pollsPerHeartbeat * (BYTES.httpResponseHeaders + tls) + BYTES.config + jsonBytes(null));
  const handshakes = (BYTES.tlsHandshake * HANDSHAKES_PER_DEVICE_HOUR) / 3600;
  const readingFunction = readings * (BYTES.reading + BYTES.config + BYTES.state + 3 * wire + 2 * ack);
  const statusFunction = heartbeats * ack;
  // functions/src/zone-of-device.ts: meta/zone from a listener (no read per reading); in a zone,
  // functions/src/zone-handler.ts reads its devices, alert and rule, then the state of every
  // member (members' states are not cached between evaluations).
  const zoneReads = profile.zoneSize > 0 ? 3 + profile.zoneSize : 0;
  const zoneEvaluation =
    profile.zoneSize > 0
      ? readings * (3 * wire + profile.zoneSize * BYTES.ownershipEntry + 2 * jsonBytes(null) + profile.zoneSize * (wire + BYTES.state))
      : 0;
  const rollupJob = runs * (BYTES.rollupKeyed + 2 * wire) + writes.rollups * ack + readings * BYTES.readingKeyed;
  const retentionJob =
    runs * ((profile.retentionRead === 'current' ? Math.min(RETENTION_MAX_COUNT + 1, readingsKept) * BYTES.readingKeyed : 0) + 3 * wire) +
    readings * BYTES.readingKeyed +
    writes.retention * ack;
  const presenceJob = runs * (BYTES.status + jsonBytes(profile.heartbeatMs) + 2 * wire);
  const commandsJob = runs * wire;
  const ownershipIndex = runs * JOBS.listingJobs * BYTES.ownershipEntry;
  const parts = {
    deviceWriteReplies,
    stateToDevice,
    stateToWatchers,
    devicePolls,
    handshakes,
    readingFunction,
    statusFunction,
    zoneEvaluation,
    rollupJob,
    retentionJob,
    presenceJob,
    commandsJob,
    ownershipIndex,
  };
  const download: DownloadBreakdown = { ...parts, total: Object.values(parts).reduce((a, b) => a + b, 0) };

  const minutesPerMonth = (730 * 3600) / 60;
  const storedReadings = readingsKept * BYTES.readingKeyed;
  const rollups = profile.months * minutesPerMonth * Math.min(1, periodS / sampleS) * BYTES.rollupKeyed;
  const documents = BYTES.state + BYTES.status + BYTES.config + BYTES.meta + BYTES.ownershipEntry + BYTES.directoryEntry;

  return {
    writesPerSecond: writes,
    // Per reading onReadingCreated (the zone evaluated in it); per heartbeat onStatusWritten.
    invocationsPerSecond: FUNCTION_INVOCATIONS_PER_READING * readings + FUNCTION_INVOCATIONS_PER_STATUS_WRITE * heartbeats,
    // A created reading carries its data; a written status carries before and after. No trigger
    // fires on the state.
    eventBytesPerSecond: readings * BYTES.readingWrite + heartbeats * 2 * BYTES.status,
    connections: transport.streams,
    // Every write is acknowledged; each state goes to the device and its watchers; the reading
    // function reads 3 nodes (+ the zone's); the jobs read JOBS.readsPerDevice a run.
    responsesPerSecond:
      writes.total +
      readings * (1 + profile.watchersPerDevice) +
      readings * (3 + zoneReads) +
      runs * JOBS.readsPerDevice +
      heartbeats * transport.pollsPerHeartbeat,
    downloadBytesPerSecond: download,
    storageBytes: { readings: storedReadings, rollups, documents, total: storedReadings + rollups + documents },
    readingsKept,
  };
}
