/**
 * Zone membership follows device meta: `zones/{zoneId}/devices/{deviceId}` and
 * `zones/{zoneId}/owners/{owner}/{deviceId}` are true exactly when `devices/{deviceId}/meta` has
 * that zone and owner. The rules let a user read a zone only while listed under its `owners`.
 * Owners are nested per device so that no membership change reads or recounts the others: when
 * an owner's last device leaves, RTDB drops the emptied `owners/{owner}` node by itself, and two
 * devices moving at once touch disjoint paths. Provisioning writes all of it in one update; this
 * keeps it in step when an admin moves, re-owns or deletes a device later. Writes only what differs.
 */
import type { Reference } from 'firebase-admin/database';
import { keyProblem, metaPath, UID_MAX_CHARS, ZONE_ID_PATTERN, zoneDevicesPath, zoneOwnersPath } from '@firelink/model';

/** Where a device's meta puts it: its zone and owner, or null when it has no (valid) zone. */
export interface Membership {
  zone: string;
  owner: string;
}

/** The membership named by a meta value, or null. */
export function membershipOf(meta: unknown): Membership | null {
  if (meta === null || typeof meta !== 'object') return null;
  const { zone, owner } = meta as { zone?: unknown; owner?: unknown };
  if (typeof zone !== 'string' || !ZONE_ID_PATTERN.test(zone)) return null;
  // Without a usable owner no one could read the zone; such a meta is refused by the model too.
  if (typeof owner !== 'string' || owner.length > UID_MAX_CHARS || keyProblem(owner) !== undefined) return null;
  return { zone, owner };
}

export const sameMembership = (a: Membership | null, b: Membership | null): boolean =>
  a === b || (a !== null && b !== null && a.zone === b.zone && a.owner === b.owner);

/** The paths of one membership, each true while it holds. */
export function membershipPaths(deviceId: string, m: Membership): string[] {
  return [`${zoneDevicesPath(m.zone)}/${deviceId}`, `${zoneOwnersPath(m.zone)}/${m.owner}/${deviceId}`];
}

/** The path map that moves `deviceId` from `from` to `to` (either may be null). */
export function membershipUpdates(deviceId: string, from: Membership | null, to: Membership | null): Record<string, true | null> {
  const updates: Record<string, true | null> = {};
  if (from !== null) for (const p of membershipPaths(deviceId, from)) updates[p] = null;
  if (to !== null) for (const p of membershipPaths(deviceId, to)) updates[p] = true;
  return updates;
}

/**
 * Applies the move where the stored membership differs (one update). Returns the paths written and
 * the zones whose device set changed (their alerts need a fresh look).
 */
export async function syncZoneMembership(
  root: Reference,
  deviceId: string,
  from: Membership | null,
  to: Membership | null,
): Promise<{ written: string[]; zones: string[] }> {
  const wanted = membershipUpdates(deviceId, from, to);
  const paths = Object.keys(wanted);
  const current = await Promise.all(paths.map((p) => root.child(p).get()));
  const changed = paths.filter((p, i) => (current[i]?.val() ?? null) !== wanted[p]);
  if (changed.length === 0) return { written: [], zones: [] };
  await root.update(Object.fromEntries(changed.map((p) => [p, wanted[p] ?? null])));
  // Paths are `zones/{zoneId}/devices/{deviceId}` or `zones/{zoneId}/owners/{uid}/{deviceId}`.
  const zones = changed.filter((p) => p.split('/')[2] === 'devices').map((p) => p.split('/')[1] as string);
  return { written: changed, zones: [...new Set(zones)] };
}

export interface MembershipChange {
  from: Membership | null;
  to: Membership | null;
  written: string[];
  zones: string[];
}

/**
 * Handles one meta write (`before` -> `after`). It aims at the meta as stored now, not at `after`:
 * events may arrive late or out of order (at-least-once, unordered delivery), and an older event
 * must not undo a newer move. Null when nothing was written.
 */
export async function followMeta(root: Reference, deviceId: string, before: unknown, after: unknown): Promise<MembershipChange | null> {
  const from = membershipOf(before);
  if (sameMembership(from, membershipOf(after))) return null;
  const to = membershipOf((await root.child(metaPath(deviceId)).get()).val());
  if (sameMembership(from, to)) return null;
  const { written, zones } = await syncZoneMembership(root, deviceId, from, to);
  return written.length === 0 ? null : { from, to, written, zones };
}
