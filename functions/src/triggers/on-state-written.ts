/**
 * Path:    devices/{deviceId}/state, written (by onReadingCreated only).
 * Writer:  functions.
 * Writes:  zones/{zoneId}/alert, only when the device's zone crosses into or out of alert.
 */
import { onValueWritten } from 'firebase-functions/v2/database';
import { PATTERNS } from '@firelink/model';
import { config, params } from '../config.js';
import { evaluateZoneOfDevice } from '../zone-handler.js';

export const onStateWritten = onValueWritten(
  { ref: PATTERNS.state, region: params.region, instance: config.databaseInstance },
  async (event) => {
    if (!event.data.after.exists()) return;
    await evaluateZoneOfDevice(
      event.data.after.ref.root,
      event.params.deviceId,
      { irThreshold: config.zoneIrThreshold, windowMs: config.zoneWindowMs, minDevices: config.zoneMinDevices },
      Date.now(),
    );
  },
);
