/**
 * Path:    devices/{deviceId}/meta, written (by provisioning or an admin; owners change only `name`).
 * Writer:  admin.
 * Writes:  zones/{zoneId}/devices/{deviceId} when meta.zone changed and the set is not yet in
 *          step (one update), then re-evaluates the zones it left and joined.
 */
import { onValueWritten } from 'firebase-functions/v2/database';
import { PATTERNS } from '@firelink/model';
import { config } from '../config.js';
import { logs } from '../logs.js';
import { evaluateZone } from '../zone-handler.js';
import { syncZoneMembership, zoneOf } from '../zone-membership.js';

export const onMetaWritten = onValueWritten(
  { ref: PATTERNS.meta, region: config.region, instance: config.databaseInstance },
  async (event) => {
    const deviceId = event.params.deviceId;
    const from = zoneOf(event.data.before.val());
    const to = zoneOf(event.data.after.val());
    if (from === to) return;
    const root = event.data.after.ref.root;
    const changed = await syncZoneMembership(root, deviceId, from, to);
    if (changed.length === 0) return;
    logs.zoneMembershipChanged(deviceId, { from, to });
    const rule = { irThreshold: config.zoneIrThreshold, windowMs: config.zoneWindowMs, minDevices: config.zoneMinDevices };
    for (const zoneId of changed) await evaluateZone(root, zoneId, rule, Date.now(), deviceId);
  },
);
