/**
 * Keeps the per-owner fleet summary `fleets/{owner}/{deviceId}` (model/src/fleet-summary.ts,
 * docs/backend.md "Fleet summary") on the device's instance, written as the rules-guarded functions
 * identity (writer.ts): the rules take a summary `state` only with a higher `seq`, and any part only
 * into an entry that has `meta`, so a write racing a removal cannot bring an entry back. Each writer
 * sends its own small write at `fleets/{owner}/{deviceId}/<part>`: never at the root, where the
 * Admin SDK rebuilds its write tree from every pending write on each acknowledgement
 * (reading-handler.ts `write`). A refused summary write is dropped: the next one repairs it.
 */
import type { Reference } from 'firebase-admin/database';
import { fleetEntryPath, metaPath, ownerOfMeta, summaryMeta, summaryState, summaryStatus, statePath, statusPath } from '@firelink/model';
import { SummaryCoalescer } from './summary-coalescer.js';
import { WatchedValues } from './watched-values.js';
import { tolerated } from './writer.js';

/** Devices whose owner this instance keeps listening to; the least recently used is dropped past this. */
const OWNERS_WATCHED_LIMIT = 10_000;
const owners = new WatchedValues(OWNERS_WATCHED_LIMIT);
/** Whether each owner's entry has its meta yet (status writes wait for it), kept the same way. */
const entryMetas = new WatchedValues(OWNERS_WATCHED_LIMIT);
const summaryStates = new SummaryCoalescer();

/**
 * The device's owner (`meta/owner`), kept by a listener when `instance` names the database (no
 * read per event), else read. Null: no owner, so no summary.
 */
export async function ownerOf(reader: Reference, instance: string | undefined, deviceId: string): Promise<string | null> {
  const ref = reader.root.child(`${metaPath(deviceId)}/owner`);
  const owner = await owners.readIn(instance, deviceId, ref);
  return ownerOfMeta({ owner });
}

/**
 * A mapped reading's state (`ts` may be the server-timestamp placeholder) into the summary, in its
 * owner's next coalesced batch (summary-coalescer.ts).
 */
export async function writeSummaryState(reader: Reference, writer: Reference, instance: string | undefined, deviceId: string, state: unknown): Promise<void> {
  const part = summaryState<unknown>(state);
  if (part === null) return;
  const owner = await ownerOf(reader, instance, deviceId);
  if (owner === null) return;
  await summaryStates.add(writer, instance ?? writer.toString(), owner, deviceId, part.seq, part);
}

/**
 * The device's status as written (null when removed) into the summary. While the entry has no meta
 * the rules would refuse a status alone (and the SDK print a warning for each), so the entry is
 * created whole instead, as the meta trigger does: this covers a first heartbeat that beats that
 * trigger, and backfills devices provisioned before the summary existed at their next heartbeat.
 */
export async function writeSummaryStatus(reader: Reference, writer: Reference, instance: string | undefined, deviceId: string, status: unknown): Promise<void> {
  const owner = await ownerOf(reader, instance, deviceId);
  if (owner === null) return;
  const metaRef = reader.root.child(`${fleetEntryPath(owner, deviceId)}/meta`);
  const entryMeta = await entryMetas.readIn(instance, `${owner}/${deviceId}`, metaRef);
  if (entryMeta === null || entryMeta === undefined) {
    await syncSummaryMeta(reader, writer, deviceId, null);
    return;
  }
  await tolerated(writer.root.child(`${fleetEntryPath(owner, deviceId)}/status`).set(summaryStatus(status)));
}

/**
 * After a meta write: the previous owner's entry removed when the owner changed or the device is
 * gone; the current owner's entry gets the meta, and when the entry is new to it also the stored
 * status and state (a device's first status may have been refused before its entry existed).
 * `before` is the event's previous meta; the meta as stored now is read.
 */
export async function syncSummaryMeta(reader: Reference, writer: Reference, deviceId: string, before: unknown): Promise<'removed' | 'created' | 'updated' | 'none'> {
  const root = reader.root;
  const [metaSnap, statusSnap, stateSnap] = await Promise.all([
    root.child(metaPath(deviceId)).get(),
    root.child(statusPath(deviceId)).get(),
    root.child(statePath(deviceId)).get(),
  ]);
  const meta: unknown = metaSnap.val();
  const from = ownerOfMeta(before);
  const to = ownerOfMeta(meta);
  const part = summaryMeta(meta);
  let outcome: 'removed' | 'created' | 'updated' | 'none' = 'none';
  if (from !== null && from !== to) {
    await writer.root.child(fleetEntryPath(from, deviceId)).remove();
    outcome = 'removed';
  }
  if (to === null || part === null) return outcome;
  const entry = writer.root.child(fleetEntryPath(to, deviceId));
  if (from === to) {
    await entry.child('meta').set(part);
    return 'updated';
  }
  const status = summaryStatus(statusSnap.val());
  await entry.update({ meta: part, ...(status === null ? {} : { status }) });
  const state = summaryState<number>(stateSnap.val());
  // Refused when a reading's state already landed there with this seq or a later one.
  if (state !== null) await tolerated(entry.child('state').set(state));
  return 'created';
}
