/**
 * Presence sweep, the I/O half. Reads each device's `status` and `config/heartbeatMs`; writes
 * `status/online = false` by transaction (only if the status is still the stale one it judged,
 * so a heartbeat landing meanwhile wins). Writes: one per device going offline, none otherwise.
 */
import type { Reference } from 'firebase-admin/database';
import { configPath, statusPath } from '@firelink/model';
import { forEachDevice } from './fleet.js';
import { logs } from './logs.js';
import { presenceVerdict } from './presence.js';

export async function sweepPresence(
  root: Reference,
  deviceIds: readonly string[],
  nowMs: number,
  missedHeartbeats: number,
): Promise<{ offline: string[]; failed: number }> {
  const offline: string[] = [];
  const { failed } = await forEachDevice(deviceIds, 'presence', async (deviceId) => {
    const [status, heartbeat] = await Promise.all([
      root.child(statusPath(deviceId)).get(),
      root.child(`${configPath(deviceId)}/heartbeatMs`).get(),
    ]);
    const first = presenceVerdict(status.val(), heartbeat.val(), nowMs, missedHeartbeats);
    if (first === null || !first.offline) return;
    const result = await root.child(statusPath(deviceId)).transaction((current: unknown) => {
      // The SDK first calls with its local cache (null without a listener); returning undefined
      // there would abort without asking the server, so null is kept and the server answers.
      if (current === null) return null;
      const verdict = presenceVerdict(current, heartbeat.val(), nowMs, missedHeartbeats);
      if (verdict === null || !verdict.offline) return undefined;
      return { ...(current as object), online: false };
    });
    if (result.committed) {
      offline.push(deviceId);
      logs.presenceOffline(deviceId, { lastSeen: first.lastSeen, heartbeatMs: first.heartbeatMs, silentMs: first.silentMs });
    }
  });
  return { offline: offline.sort(), failed };
}
