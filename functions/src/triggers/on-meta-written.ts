/**
 * Path:    devices/{deviceId}/meta, written (by provisioning or an admin; owners change only `name`).
 * Writer:  admin.
 * Reads:   the meta as stored now (the event's `after` may be stale), the membership paths.
 * Writes:  zones/{zoneId}/devices/{deviceId} and zones/{zoneId}/owners/{owner}/{deviceId} when
 *          meta.zone or meta.owner changed and the zone is not yet in step (one update), then
 *          re-evaluates the alerts of the zones the device left and joined. The owner's fleet
 *          summary (fleet-summary.ts): fleets/{owner}/{deviceId}/meta, the whole entry when new
 *          to the owner, and the previous owner's entry removed (ownership moved, device deleted).
 */
import { onValueWritten } from 'firebase-functions/v2/database';
import { PATTERNS } from '@firelink/model';
import { config, defaultZoneRule, params } from '../config.js';
import { syncSummaryMeta } from '../fleet-summary.js';
import { logs } from '../logs.js';
import { evaluateZone } from '../zone-handler.js';
import { guardedRoot } from '../writer.js';
import { followMeta } from '../zone-membership.js';

export const onMetaWritten = onValueWritten(
  { ref: PATTERNS.meta, region: params.region, instance: config.databaseInstance },
  async (event) => {
    const deviceId = event.params.deviceId;
    const root = event.data.after.ref.root;
    const followZones = async (): Promise<void> => {
      const change = await followMeta(root, deviceId, event.data.before.val(), event.data.after.val());
      if (change === null) return;
      const { from, to, written, zones } = change;
      logs.zoneMembershipChanged(deviceId, {
        from: from?.zone ?? null,
        to: to?.zone ?? null,
        fromOwner: from?.owner ?? null,
        toOwner: to?.owner ?? null,
        paths: written.length,
      });
      for (const zoneId of zones) await evaluateZone(root, zoneId, defaultZoneRule, Date.now(), deviceId);
    };
    // Independent: a failing summary write does not hold back the zones, nor the other way round.
    const results = await Promise.allSettled([
      followZones(),
      syncSummaryMeta(root, guardedRoot(event.instance, event.firebaseDatabaseHost), deviceId, event.data.before.val()),
    ]);
    for (const r of results) if (r.status === 'rejected') throw r.reason;
  },
);
