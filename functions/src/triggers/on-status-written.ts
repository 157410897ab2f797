/**
 * Path:    devices/{deviceId}/status, written (by the device: heartbeats, onDisconnect; by the
 *          presence sweep: online = false).
 * Writer:  the device, or admin.
 * Reads:   the device's owner (meta/owner), kept by a listener per device (fleet-summary.ts).
 * Writes:  fleets/{owner}/{deviceId}/status {online, lastSeen, fw} (null when the status is gone),
 *          as the rules-guarded functions identity; the whole entry when it has no meta yet.
 */
import { onValueWritten } from 'firebase-functions/v2/database';
import { PATTERNS } from '@firelink/model';
import { config, params } from '../config.js';
import { writeSummaryStatus } from '../fleet-summary.js';
import { guardedRoot } from '../writer.js';

export const onStatusWritten = onValueWritten(
  { ref: PATTERNS.status, region: params.region, instance: config.databaseInstance },
  async (event) => {
    const writer = guardedRoot(event.instance, event.firebaseDatabaseHost);
    await writeSummaryStatus(event.data.after.ref.root, writer, event.instance, event.params.deviceId, event.data.after.val());
  },
);
