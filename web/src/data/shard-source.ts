/**
 * Puts a device's listeners on the instance its directory entry `deviceShards/{id}` (default
 * instance) names; no entry: the default instance (single-instance setups). The entry is read,
 * not listened to, and read again when the device's data vanishes from the instance it was on: a
 * move (model/src/shard-move.ts) copies the device, switches the entry, then removes the device
 * from its old instance. Rules without a directory (deployed before shards) deny the read: the
 * device is then on the default instance.
 *
 * With `confirmLater` the device starts on the default instance at once and its entry is read
 * when the caller runs the read it is handed (after the fleet's first render): a request less per
 * device on the way to the first render. A device without data there has its entry read at once;
 * one that has data there but lives elsewhere (a move cut short before the source was cleared)
 * shows that data until its entry is read.
 */
import { get, ref, type Database } from 'firebase/database';
import { deviceShardPath } from '@firelink/model';
import { shardOfEntry } from '../logic/shards.js';
import type { ShardMap } from '../store/shard-map.js';
import { failureOf } from './errors.js';
import type { Databases } from './firebase.js';

export interface ShardFollow {
  /**
   * Starts the device's listeners on `db`; returns their stop. They call `vanished` when the
   * device has no data there (so the directory is read again).
   */
  start(db: Database, vanished: () => void): () => void;
  /** The directory entry cannot be used or read (the message names it and the fix). */
  invalid(message: string): void;
  /** The directory entry was read: the device is on `instance` (`null`: default), restarted or not. */
  placed?(instance: string | null): void;
  /** Start on the default instance now; hand the directory read to this queue. */
  confirmLater?: (read: () => void) => void;
}

export function followShard(dbs: Databases, shards: ShardMap, deviceId: string, follow: ShardFollow): () => void {
  let stopCurrent: (() => void) | undefined;
  /** The instance the listeners run on (`null`: default), undefined before any. */
  let current: string | null | undefined;
  let stopped = false;
  let reading = false;
  const startOn = (instance: string | null): void => {
    stopCurrent?.();
    current = instance;
    stopCurrent = follow.start(dbs.instance(instance), readEntry);
  };
  const place = (entry: unknown): void => {
    if (stopped) return;
    const shard = shardOfEntry(deviceId, entry);
    shards.apply(deviceId, entry);
    if ('error' in shard) {
      stopCurrent?.();
      stopCurrent = undefined;
      current = undefined;
      follow.invalid(shard.error);
    } else {
      if (shard.instance !== current || stopCurrent === undefined) startOn(shard.instance);
      follow.placed?.(shard.instance);
    }
  };
  function readEntry(): void {
    if (reading || stopped) return;
    reading = true;
    get(ref(dbs.directory, deviceShardPath(deviceId))).then(
      (s) => {
        reading = false;
        place(s.val());
      },
      (err: Error) => {
        reading = false;
        if (failureOf(err) === 'permission-denied') place(null);
        else if (!stopped) follow.invalid(`deviceShards/${deviceId} could not be read (${err.message}); reload the page to retry`);
      },
    );
  }
  if (follow.confirmLater) {
    startOn(null);
    follow.confirmLater(readEntry);
  } else readEntry();
  return () => {
    stopped = true;
    stopCurrent?.();
    shards.remove(deviceId);
  };
}
