/**
 * Coalesces the fleet summary's `state` writes per owner: a mapped reading's state goes out at once
 * when its owner has no summary write in flight, else it joins the owner's next batch, which leaves
 * as one `update()` at `fleets/{owner}` (the newest state per device) when the one in flight is
 * acknowledged. An owner of many devices then costs about one summary write per round trip instead
 * of one per reading, and a state waits at most one round trip more. With one write per owner in
 * flight, writes never overlap at the same path, which would make the Admin SDK rebuild its write
 * tree on each acknowledgement (reading-handler.ts `write`).
 *
 * The rules check each entry of the update (`fleets/$uid/$deviceId/state`: a higher `seq`, an entry
 * with `meta`) and refuse the update whole when one fails; the batch is then written entry by entry,
 * and a refused entry is dropped as before: the next state repairs it.
 */
import type { Reference } from 'firebase-admin/database';
import { fleetEntryPath, fleetsPath } from '@firelink/model';
import { isPermissionDenied, tolerated } from './writer.js';

interface Batch {
  states: Map<string, { seq: number; part: unknown }>;
  done: Promise<void>;
  settle(error?: unknown): void;
}

interface Lane {
  writer: Reference;
  owner: string;
  next: Batch | null;
  inFlight: boolean;
}

export class SummaryCoalescer {
  private readonly lanes = new Map<string, Lane>();

  /**
   * Adds a device's summary state to its owner's next batch on `database` (the instance name:
   * against the emulator every instance's URL is the emulator's host, so a Reference cannot tell
   * shards apart). Resolves when a write carrying it (or a newer state of that device) has been
   * acknowledged or refused by the rules; rejects on other errors.
   */
  add(writer: Reference, database: string, owner: string, deviceId: string, seq: number, part: unknown): Promise<void> {
    const key = `${database}\n${owner}`;
    let lane = this.lanes.get(key);
    if (lane === undefined) {
      lane = { writer, owner, next: null, inFlight: false };
      this.lanes.set(key, lane);
    }
    const batch = (lane.next ??= newBatch());
    const queued = batch.states.get(deviceId);
    if (queued === undefined || seq > queued.seq) batch.states.set(deviceId, { seq, part });
    if (!lane.inFlight) this.send(key, lane);
    return batch.done;
  }

  /** Owners with a batch queued or in flight (for tests). */
  get size(): number {
    return this.lanes.size;
  }

  private send(key: string, lane: Lane): void {
    const batch = lane.next;
    if (batch === null) return;
    lane.next = null;
    lane.inFlight = true;
    writeBatch(lane.writer, lane.owner, batch.states).then(
      () => batch.settle(),
      (error: unknown) => batch.settle(error),
    ).finally(() => {
      lane.inFlight = false;
      if (lane.next === null) this.lanes.delete(key);
      else this.send(key, lane);
    });
  }
}

function newBatch(): Batch {
  let settle!: (error?: unknown) => void;
  const done = new Promise<void>((resolve, reject) => {
    settle = (error) => (error === undefined ? resolve() : reject(error));
  });
  return { states: new Map(), done, settle };
}

async function writeBatch(writer: Reference, owner: string, states: Map<string, { part: unknown }>): Promise<void> {
  const one = (deviceId: string, part: unknown): Promise<void> => tolerated(writer.root.child(`${fleetEntryPath(owner, deviceId)}/state`).set(part));
  if (states.size === 1) {
    for (const [deviceId, { part }] of states) await one(deviceId, part);
    return;
  }
  const updates = Object.fromEntries([...states].map(([deviceId, { part }]) => [`${deviceId}/state`, part]));
  try {
    await writer.root.child(fleetsPath(owner)).update(updates);
  } catch (err) {
    if (!isPermissionDenied(err)) throw err;
    // One entry was refused (an older seq, or an entry without meta): the others one by one.
    await Promise.all([...states].map(([deviceId, { part }]) => one(deviceId, part)));
  }
}
