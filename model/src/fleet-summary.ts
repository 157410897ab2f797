/**
 * The per-owner fleet summary: `fleets/{ownerUid}/{deviceId}` on the device's instance holds what
 * the dashboard's fleet row shows, so an owner's fleet view is one listener per instance instead of
 * one per device (docs/backend.md "Fleet summary"). Functions keep it (rules: no client writes):
 *   meta   {name, zone?}            from `devices/{id}/meta` (onMetaWritten)
 *   status {online, lastSeen, fw}   from `devices/{id}/status` (onStatusWritten)
 *   state  {angle, ir, seq, ts}     from each mapped reading (onReadingCreated)
 * These builders pick those fields from stored values; a value without them gives null.
 */
import { assertDeviceId, assertUid } from './keys.js';

export const FLEETS = 'fleets';

/** `fleets/{uid}`: one owner's summary on one instance (readable by that owner only). */
export function fleetsPath(uid: string): string {
  return `${FLEETS}/${assertUid(uid)}`;
}

/** `fleets/{uid}/{deviceId}`: one device's summary entry. */
export function fleetEntryPath(uid: string, deviceId: string): string {
  return `${fleetsPath(uid)}/${assertDeviceId(deviceId)}`;
}

export interface SummaryMeta {
  name: string;
  zone?: string;
}
export interface SummaryStatus {
  online: boolean;
  lastSeen: number;
  fw: string;
}
export interface SummaryState<Ts = number> {
  angle: number;
  ir: number;
  seq: number;
  ts: Ts;
}
export interface FleetSummaryEntry {
  meta: SummaryMeta;
  status?: SummaryStatus;
  state?: SummaryState;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The owner named by a device's meta, or null. */
export function ownerOfMeta(meta: unknown): string | null {
  return isObject(meta) && typeof meta.owner === 'string' && meta.owner !== '' ? meta.owner : null;
}

export function summaryMeta(meta: unknown): SummaryMeta | null {
  if (!isObject(meta) || typeof meta.name !== 'string') return null;
  return typeof meta.zone === 'string' ? { name: meta.name, zone: meta.zone } : { name: meta.name };
}

export function summaryStatus(status: unknown): SummaryStatus | null {
  if (!isObject(status)) return null;
  const { online, lastSeen, fw } = status;
  if (typeof online !== 'boolean' || typeof lastSeen !== 'number' || typeof fw !== 'string') return null;
  return { online, lastSeen, fw };
}

/** `ts` may be a server-timestamp placeholder when built from a state being written. */
export function summaryState<Ts>(state: unknown): SummaryState<Ts> | null {
  if (!isObject(state)) return null;
  const { angle, ir, seq, ts } = state;
  if (typeof angle !== 'number' || typeof ir !== 'number' || typeof seq !== 'number' || ts === undefined || ts === null) return null;
  return { angle, ir, seq, ts: ts as Ts };
}

/** A device node's whole summary entry and its owner, or null without a usable meta. */
export function summaryOfDevice(device: unknown): { owner: string; entry: FleetSummaryEntry } | null {
  if (!isObject(device)) return null;
  const owner = ownerOfMeta(device.meta);
  const meta = summaryMeta(device.meta);
  if (owner === null || meta === null) return null;
  const entry: FleetSummaryEntry = { meta };
  const status = summaryStatus(device.status);
  const state = summaryState<number>(device.state);
  if (status !== null) entry.status = status;
  if (state !== null) entry.state = state;
  return { owner, entry };
}
