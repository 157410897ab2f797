/**
 * Path:    devices/{deviceId}/state, written (by onReadingCreated only).
 * Writer:  functions.
 * Reads:   the device's zone (meta/zone), kept by a listener per device (watched-values.ts): no read
 *          per event for a device without a zone; then the zone's members and states.
 * Writes:  zones/{zoneId}/alert, only when the device's zone crosses into or out of alert.
 */
import { onValueWritten } from 'firebase-functions/v2/database';
import { PATTERNS, ZONE_ID_PATTERN, metaPath } from '@firelink/model';
import { config, params } from '../config.js';
import { WatchedValues } from '../watched-values.js';
import { evaluateZone } from '../zone-handler.js';

/** Devices whose zone this instance keeps listening to; the least recently used is dropped past this. */
const ZONES_WATCHED_LIMIT = 10_000;
const zones = new WatchedValues(ZONES_WATCHED_LIMIT);

export const onStateWritten = onValueWritten(
  { ref: PATTERNS.state, region: params.region, instance: config.databaseInstance },
  async (event) => {
    if (!event.data.after.exists()) return;
    const deviceId = event.params.deviceId;
    const root = event.data.after.ref.root;
    // A zone change also re-evaluates both zones (onMetaWritten), so a listener that has not yet
    // seen the change costs no missed transition.
    const zone = await zones.read(`${event.instance}/${deviceId}`, root.child(`${metaPath(deviceId)}/zone`));
    if (typeof zone !== 'string' || !ZONE_ID_PATTERN.test(zone)) return;
    await evaluateZone(
      root,
      zone,
      { irThreshold: config.zoneIrThreshold, windowMs: config.zoneWindowMs, minDevices: config.zoneMinDevices },
      Date.now(),
      deviceId,
    );
  },
);
