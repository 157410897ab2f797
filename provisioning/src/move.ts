/**
 * Moving a device to another shard (`firelink-provision move`), the steps of
 * model/src/shard-move.ts (docs/scaling.md, step 6):
 *   1. copy `devices/{id}` and `rollups/{id}` from the source to the target (one update);
 *   2. switch `deviceShards/{id}` on the default instance;
 *   3. write a `reconnect` command on the source; wait for its ack there and for the device's
 *      status on the target (an offline device is not waited for: it reads the directory at boot;
 *      a timeout is reported, not fatal);
 *   4. copy the readings that landed on the source since step 1;
 *   5. remove the source copy (one update).
 * Every step is idempotent, so a move that stopped is run again: with the directory already on
 * the target, a copy left on another configured shard is finished (steps 4 and 5).
 */
import { ServerValue, type Database } from 'firebase-admin/database';
import {
  assertDeviceId,
  assertInstanceName,
  commandPath,
  commandsPath,
  deviceMovePlan,
  fleetEntryPath,
  summaryOfDevice,
  devicePath,
  metaPath,
  readingsDelta,
  readingsPath,
  rollupsPath,
  statusPath,
  type DeviceSnapshot,
} from '@firelink/model';
import { ProvisionError } from './errors.js';
import { SHARDS_ENV, deviceShard, type ShardRouter } from './shards.js';

/** The command the device follows (model COMMAND_TYPES): re-read the directory, reconnect there. */
export const RECONNECT_COMMAND = 'reconnect';

export interface MoveRequest {
  deviceId: string;
  to: string;
  /** How long to wait for the ack and for the device's status on the target (default 30 s). */
  waitMs?: number;
  /** Poll interval of those waits (default 200 ms). */
  pollMs?: number;
}

export interface MoveReport {
  status: 'moved' | 'finished' | 'already-there';
  deviceId: string;
  from: string;
  to: string;
  /** Readings and rollup minutes carried by the copy (step 1), and readings by the delta (step 4). */
  copied: { readings: number; rollups: number; delta: number };
  reconnect: {
    commandId: string | null;
    /** The device was online on the source when the move began (so it was waited for). */
    wasOnline: boolean;
    acked: boolean;
    /** The device wrote its status on the target after the switch. */
    onTarget: boolean;
    waitedMs: number;
  };
  /** What did not go as planned, for people (e.g. a timeout); the move went on regardless. */
  warnings: string[];
}

function count(value: unknown): number {
  return typeof value === 'object' && value !== null ? Object.keys(value).length : 0;
}

async function readSnapshot(db: Database, deviceId: string): Promise<DeviceSnapshot | null> {
  const [device, rollups] = await Promise.all([db.ref(devicePath(deviceId)).get(), db.ref(rollupsPath(deviceId)).get()]);
  if (!device.exists()) return null;
  return { device: device.val() as Record<string, unknown>, rollups: (rollups.val() as Record<string, unknown> | null) ?? null };
}

async function until(check: () => Promise<boolean>, deadlineMs: number, pollMs: number): Promise<boolean> {
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= deadlineMs) return false;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** Step 5's update: the device, its rollups and its owner's fleet summary entry (model fleet-summary.ts). */
function sourceRemoval(deviceId: string, copied: DeviceSnapshot): Record<string, null> {
  const removal: Record<string, null> = { [devicePath(deviceId)]: null, [rollupsPath(deviceId)]: null };
  const summary = summaryOfDevice(copied.device);
  if (summary !== null) removal[fleetEntryPath(summary.owner, deviceId)] = null;
  return removal;
}

/** Steps 4 and 5: the readings the target lacks, then the source copy removed. */
async function finish(source: Database, target: Database, deviceId: string, copied: DeviceSnapshot): Promise<number> {
  const now = (await source.ref(readingsPath(deviceId)).get()).val() as Record<string, unknown> | null;
  const delta = readingsDelta(deviceId, copied, now);
  if (Object.keys(delta).length > 0) await target.ref().update(delta);
  await source.ref().update(sourceRemoval(deviceId, copied));
  return Object.keys(delta).length;
}

function checkedArgs(request: MoveRequest, router: ShardRouter): { deviceId: string; to: string } {
  try {
    const deviceId = assertDeviceId(request.deviceId, 'device');
    const to = assertInstanceName(request.to, 'to');
    const known = new Set([router.directory, ...router.configured.map((s) => s.instance)]);
    if (!known.has(to)) {
      throw new ProvisionError('invalid-argument', `--to ${to} is not a configured instance (${[...known].join(', ')}): list it in --shards or ${SHARDS_ENV}`);
    }
    return { deviceId, to };
  } catch (error) {
    if (error instanceof ProvisionError) throw error;
    throw new ProvisionError('invalid-argument', (error as Error).message);
  }
}

export async function moveDevice(router: ShardRouter, request: MoveRequest): Promise<MoveReport> {
  const { deviceId, to } = checkedArgs(request, router);
  const waitMs = request.waitMs ?? 30_000;
  const pollMs = request.pollMs ?? 200;
  const directoryDb = router.database(router.directory);
  const target = router.database(to);
  const { instance: from } = await deviceShard(router, deviceId);
  const warnings: string[] = [];
  const noReconnect = { commandId: null, wasOnline: false, acked: false, onTarget: false, waitedMs: 0 };

  if (from === to) {
    // Already switched: finish a move that stopped after step 2, if a copy is left elsewhere.
    if (!(await target.ref(metaPath(deviceId)).get()).exists()) {
      throw new ProvisionError('failed-precondition', `device ${deviceId}: the directory says ${to}, but it has no data there; is it provisioned? (firelink-provision --device ${deviceId} ...)`);
    }
    const others = [...new Set([router.directory, ...router.configured.map((s) => s.instance)])].filter((i) => i !== to);
    for (const other of others) {
      const left = await readSnapshot(router.database(other), deviceId);
      if (left === null) continue;
      const targetNow = await readSnapshot(target, deviceId);
      const delta = await finish(router.database(other), target, deviceId, targetNow ?? left);
      return { status: 'finished', deviceId, from: other, to, copied: { readings: 0, rollups: 0, delta }, reconnect: noReconnect, warnings };
    }
    return { status: 'already-there', deviceId, from, to, copied: { readings: 0, rollups: 0, delta: 0 }, reconnect: noReconnect, warnings };
  }

  const source = router.database(from);
  const snapshot = await readSnapshot(source, deviceId);
  if (snapshot === null) {
    throw new ProvisionError('failed-precondition', `device ${deviceId} has no data on ${from}, its shard by the directory: provision it first, or check FIRELINK_SHARDS / --shards`);
  }
  const meta = snapshot.device.meta as { zone?: unknown } | undefined;
  if (typeof meta?.zone === 'string') {
    throw new ProvisionError(
      'failed-precondition',
      `device ${deviceId} is in zone ${meta.zone}, and a zone's devices share one shard (docs/scaling.md): moving zoned devices is not supported yet`,
    );
  }
  let plan;
  try {
    plan = deviceMovePlan(deviceId, from, to, snapshot);
  } catch (error) {
    throw new ProvisionError('invalid-argument', (error as Error).message);
  }

  // 1. copy, 2. switch.
  await target.ref().update(plan.copy);
  await directoryDb.ref().update(plan.switchDirectory);

  // 3. reconnect: the device acks on the source, then writes its status on the target.
  const status = snapshot.device.status as { online?: unknown; lastSeen?: unknown } | undefined;
  const wasOnline = status?.online === true;
  const commandRef = source.ref(commandsPath(deviceId)).push();
  const commandId = commandRef.key!;
  await commandRef.set({ type: RECONNECT_COMMAND, createdAt: ServerValue.TIMESTAMP });
  const started = Date.now();
  let acked = false;
  let onTarget = false;
  if (wasOnline) {
    const deadline = started + waitMs;
    acked = await until(async () => (await source.ref(`${commandPath(deviceId, commandId)}/ackAt`).get()).exists(), deadline, pollMs);
    if (!acked) warnings.push(`no ack of the reconnect command within ${waitMs} ms: the device may not follow reconnect; it moves at its next boot`);
    const copiedLastSeen = status?.lastSeen;
    onTarget = await until(async () => {
      const seen = (await target.ref(`${statusPath(deviceId)}/lastSeen`).get()).val() as unknown;
      return seen !== null && seen !== copiedLastSeen;
    }, deadline, pollMs);
    if (!onTarget) warnings.push(`the device wrote no status on ${to} within ${waitMs} ms; readings it still writes to ${from} after this are lost`);
  }
  const waitedMs = Date.now() - started;

  // 4. delta, 5. remove.
  const delta = await finish(source, target, deviceId, snapshot);
  return {
    status: 'moved',
    deviceId,
    from,
    to,
    copied: { readings: count(snapshot.device.readings), rollups: count(snapshot.rollups), delta },
    reconnect: { commandId, wasOnline, acked, onTarget, waitedMs },
    warnings,
  };
}
