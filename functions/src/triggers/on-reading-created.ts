/**
 * Path:    devices/{deviceId}/readings/{readingId}, created.
 * Writer:  the device (rules: its own node only, `ts` forbidden, `seq` above `state.seq`).
 * Reads:   the device's config (and, for its first reading here or after a refused write, the
 *          stored reading and state); see reading-handler.ts. After a mapped reading, the device's
 *          zone (meta/zone), kept by a listener per device (zone-of-device.ts): no read per reading
 *          for a device without a zone; then the zone's members, rule, alert and member states.
 * Writes:  ONE update: devices/{deviceId}/state {angle, ir, readingId, seq, lcd, ts} and
 *          devices/{deviceId}/readings/{readingId}/ts (server time), as the rules-guarded functions
 *          identity: the rules accept the state only with a higher seq, the ts only once. Then,
 *          after that write, zones/{zoneId}/alert, only when the zone crosses into or out of alert.
 */
import { onValueCreated } from 'firebase-functions/v2/database';
import { PATTERNS } from '@firelink/model';
import { config, defaultZoneRule, params } from '../config.js';
import { handleReadingCreated } from '../reading-handler.js';
import { guardedRoot } from '../writer.js';

export const onReadingCreated = onValueCreated(
  { ref: PATTERNS.reading, region: params.region, instance: config.databaseInstance },
  async (event) => {
    const dbs = {
      reader: event.data.ref.root,
      writer: guardedRoot(event.instance, event.firebaseDatabaseHost),
      instance: event.instance,
      zoneRule: defaultZoneRule,
      logMapped: config.logMappedReadings,
    };
    // The event carries the reading as created: the handler plans from it when it can (no read).
    await handleReadingCreated(dbs, event.params.deviceId, event.params.readingId, event.data.val());
  },
);
