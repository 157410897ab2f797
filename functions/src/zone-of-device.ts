/**
 * A device's zone re-evaluated after its state changed (reading-handler.ts, once a mapped
 * reading's state is written, in the same invocation). The zone (meta/zone) comes from a listener
 * per device (watched-values.ts): a device without a zone costs no read per reading; a device in a
 * zone then costs what `evaluateZone` reads (zone-handler.ts).
 */
import type { Reference } from 'firebase-admin/database';
import { metaPath, ZONE_ID_PATTERN } from '@firelink/model';
import { WatchedValues } from './watched-values.js';
import { evaluateZone } from './zone-handler.js';
import type { ZonePlan, ZoneRule } from './zones.js';

/** Devices whose zone this instance keeps listening to; the least recently used is dropped past this. */
const ZONES_WATCHED_LIMIT = 10_000;
const zones = new WatchedValues(ZONES_WATCHED_LIMIT);

/**
 * Re-evaluates the zone of `deviceId` at `nowMs` ('none' when it has none). `instance` names the
 * database for the listener's key; without it the zone is read once instead of kept.
 */
export async function evaluateZoneOfDevice(
  root: Reference,
  instance: string | undefined,
  deviceId: string,
  defaults: ZoneRule,
  nowMs: number,
): Promise<ZonePlan['kind']> {
  const at = root.child(`${metaPath(deviceId)}/zone`);
  // A zone change also re-evaluates both zones (onMetaWritten), so a listener that has not yet
  // seen the change costs no missed transition.
  const zone = await zones.readIn(instance, deviceId, at);
  if (typeof zone !== 'string' || !ZONE_ID_PATTERN.test(zone)) return 'none';
  return evaluateZone(root, zone, defaults, nowMs, deviceId);
}
