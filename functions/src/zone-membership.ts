/**
 * Zone membership follows device meta: `zones/{zoneId}/devices/{deviceId}` is true exactly when
 * `devices/{deviceId}/meta/zone` is zoneId. Provisioning writes both in one update; this keeps them
 * in step when an admin moves or deletes a device later. Writes only when they differ.
 */
import type { Reference } from 'firebase-admin/database';
import { ZONE_ID_PATTERN, zoneDevicesPath } from '@firelink/model';

/** The zone named by a meta value, or null. */
export function zoneOf(meta: unknown): string | null {
  if (meta === null || typeof meta !== 'object') return null;
  const zone = (meta as { zone?: unknown }).zone;
  return typeof zone === 'string' && ZONE_ID_PATTERN.test(zone) ? zone : null;
}

/** The path map that moves `deviceId` from `from` to `to` (either may be null). */
export function membershipUpdates(deviceId: string, from: string | null, to: string | null): Record<string, true | null> {
  const updates: Record<string, true | null> = {};
  if (from !== null && from !== to) updates[`${zoneDevicesPath(from)}/${deviceId}`] = null;
  if (to !== null) updates[`${zoneDevicesPath(to)}/${deviceId}`] = true;
  return updates;
}

/** Applies the move if the stored membership differs; returns the zones whose members changed. */
export async function syncZoneMembership(
  root: Reference,
  deviceId: string,
  from: string | null,
  to: string | null,
): Promise<string[]> {
  const wanted = membershipUpdates(deviceId, from, to);
  const paths = Object.keys(wanted);
  const current = await Promise.all(paths.map((p) => root.child(p).get()));
  const changed = paths.filter((p, i) => (current[i]?.val() ?? null) !== wanted[p]);
  if (changed.length === 0) return [];
  await root.update(Object.fromEntries(changed.map((p) => [p, wanted[p] ?? null])));
  return [...new Set(changed.map((p) => p.split('/')[1] as string))];
}
