/**
 * Command expiry, the I/O half. Per device, the commands created between `lookbackMs` before the
 * timeout and the timeout (indexed `createdAt` query, so old acked commands are not re-read each
 * run) are checked; each expired one is closed by a transaction on the command, so an ack that
 * lands meanwhile wins. Writes: one per expired command, none otherwise.
 */
import type { Reference } from 'firebase-admin/database';
import { commandPath, commandsPath } from '@firelink/model';
import { expiredCommandIds, expiredResult } from './commands.js';
import { forEachDevice } from './fleet.js';
import { logs } from './logs.js';

export interface ExpiryOptions {
  nowMs: number;
  timeoutMs: number;
  /** How far back past the timeout to look (a longer outage leaves older commands open). */
  lookbackMs: number;
}

export async function expireDeviceCommands(root: Reference, deviceId: string, options: ExpiryOptions): Promise<string[]> {
  const endMs = options.nowMs - options.timeoutMs;
  const snap = await root
    .child(commandsPath(deviceId))
    .orderByChild('createdAt')
    .startAt(endMs - options.lookbackMs)
    .endAt(endMs)
    .get();
  const ids = expiredCommandIds(snap.val() as Record<string, unknown> | null, options.nowMs, options.timeoutMs);
  const closed: string[] = [];
  for (const id of ids) {
    const result = await root.child(commandPath(deviceId, id)).transaction((current: unknown) => {
      // null first: the SDK's local cache without a listener (see zone-handler.ts).
      if (current === null) return null;
      const still = expiredCommandIds({ [id]: current }, options.nowMs, options.timeoutMs);
      return still.length === 1 ? { ...(current as object), result: expiredResult(options.timeoutMs) } : undefined;
    });
    if (result.committed && result.snapshot.exists()) closed.push(id);
  }
  if (closed.length > 0) logs.commandsExpired(deviceId, { commandIds: closed });
  return closed;
}

export async function expireFleetCommands(
  root: Reference,
  deviceIds: readonly string[],
  options: ExpiryOptions,
): Promise<{ expired: Record<string, string[]>; failed: number }> {
  const expired: Record<string, string[]> = {};
  const { failed } = await forEachDevice(deviceIds, 'commands', async (deviceId) => {
    const ids = await expireDeviceCommands(root, deviceId, options);
    if (ids.length > 0) expired[deviceId] = ids;
  });
  return { expired, failed };
}
