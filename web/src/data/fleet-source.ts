/**
 * Feeds the FleetStore from the database: the owner's index `users/{uid}/devices` on the default
 * instance, then per device ONE listener on the instance it lives on that gets exactly `meta`,
 * `state` and `status` (fleetRowQuery), and its directory entry (followShard). Until a device of
 * this fleet turns out to live on another instance, devices start on the default instance and
 * their entries are read after every row has answered once, in batches: the first render waits
 * for one request per device, not two. The rules let an owner read each of their devices' nodes
 * but never `devices` as a whole, and the readings under a device are far too many to listen to
 * its whole node.
 */
import { endAt, onValue, orderByChild, query, ref, startAt, type Database, type Query } from 'firebase/database';
import { DEVICE_ID_PATTERN, devicePath, userDevicesPath } from '@firelink/model';
import type { FleetStore } from '../store/fleet-store.js';
import { ShardMap } from '../store/shard-map.js';
import { failureOf } from './errors.js';
import type { Databases } from './firebase.js';
import { followShard } from './shard-source.js';

/** The child the fleet query orders a device node's children by (rules: `.indexOn` at devices/$deviceId). */
export const FLEET_ROW_INDEX = 'createdAt';

/**
 * One query per device for its fleet row: the device node's children ordered by `createdAt`
 * (https://firebase.google.com/docs/database/web/lists-of-data#sort_data), from (null, key
 * "state") to the largest number. The rules fix a device node's keys (commands, config, meta,
 * readings, state, status; `$other: false`): children without a `createdAt` child sort first, by
 * key, so the start keeps `state` and `status` of those; `meta` has a numeric `createdAt` (its
 * `.validate`), so it sorts after every null; a `readings` or `commands` node could only have
 * a `createdAt` child that is a reading or command object, and objects sort after every number,
 * beyond the end (SDK: core/snap/ChildrenNode.ts compareTo). So readings are never downloaded; without
 * the rules' index the server would send the whole node and filter in the client.
 */
export function fleetRowQuery(db: Database, id: string): Query {
  return query(ref(db, devicePath(id)), orderByChild(FLEET_ROW_INDEX), startAt(null, 'state'), endAt(Number.MAX_SAFE_INTEGER));
}

/** Directory reads sent per batch after the first render, and the pause between batches. */
const CONFIRM_BATCH = 100;
const CONFIRM_PAUSE_MS = 50;

export function watchFleet(dbs: Databases, uid: string, store: FleetStore): () => void {
  const perDevice = new Map<string, () => void>();
  const shards = new ShardMap();
  const answered = new Set<string>();
  let sharded = false;
  let confirmQueue: Array<() => void> = [];
  let draining: ReturnType<typeof setTimeout> | undefined;
  const drain = (): void => {
    const batch = confirmQueue.slice(0, CONFIRM_BATCH);
    confirmQueue = confirmQueue.slice(CONFIRM_BATCH);
    for (const read of batch) read();
    draining = confirmQueue.length > 0 ? setTimeout(drain, CONFIRM_PAUSE_MS) : undefined;
  };
  const maybeDrain = (): void => {
    if (draining === undefined && confirmQueue.length > 0 && answered.size >= perDevice.size) draining = setTimeout(drain, 0);
  };
  const stopDevice = (id: string): void => {
    perDevice.get(id)?.();
    perDevice.delete(id);
    answered.delete(id);
    store.removeDevice(id);
  };
  const denied = (err: Error): void => store.setPhase(failureOf(err) === 'permission-denied' ? 'denied' : 'error', err.message);
  const offIndex = onValue(
    ref(dbs.directory, userDevicesPath(uid)),
    (snap) => {
      const ids = new Set(Object.keys((snap.val() as Record<string, unknown> | null) ?? {}));
      for (const id of [...perDevice.keys()]) if (!ids.has(id)) stopDevice(id);
      for (const id of ids) {
        if (perDevice.has(id) || !DEVICE_ID_PATTERN.test(id)) continue;
        store.addDevice(id);
        const applyRow = (value: unknown): void => {
          const row = (value as { meta?: unknown; state?: unknown; status?: unknown } | null) ?? {};
          store.applyMeta(id, row.meta ?? null);
          store.applyState(id, row.state ?? null);
          store.applyStatus(id, row.status ?? null);
        };
        const loaded = (): void => {
          answered.add(id);
          maybeDrain();
        };
        // A row without meta before the directory was read is held back: the device may live elsewhere.
        let held: { value: unknown } | undefined;
        perDevice.set(id, followShard(dbs, shards, id, {
          start: (db, vanished) => {
            held = undefined;
            if ((shards.instanceOf(id) ?? null) !== null) sharded = true;
            return onValue(fleetRowQuery(db, id), (s) => {
              const value: unknown = s.val();
              if ((value as { meta?: unknown } | null)?.meta === undefined) {
                if (shards.instanceOf(id) === undefined) {
                  held = { value };
                  vanished();
                  return;
                }
                vanished();
              }
              applyRow(value);
              loaded();
            }, () => {
              // Refused (on a shard the owner's access ends with the device's meta): moved away?
              loaded(); // a row that cannot answer must not hold back the fleet's directory reads
              vanished();
            });
          },
          placed: () => {
            if (held === undefined) return;
            applyRow(held.value);
            held = undefined;
            loaded();
          },
          invalid: (message) => {
            console.warn(`Firelink: ${message}`);
            applyRow(null); // shown as a device without data instead of holding the fleet in "loading"
            loaded();
          },
          ...(sharded ? {} : { confirmLater: (read: () => void) => confirmQueue.push(read) }),
        }));
      }
      if (store.phase !== 'ready') {
        performance.mark('firelink:fleet-index');
        store.setPhase('ready');
      }
    },
    denied,
  );
  return () => {
    clearTimeout(draining);
    offIndex();
    for (const id of [...perDevice.keys()]) stopDevice(id);
  };
}
