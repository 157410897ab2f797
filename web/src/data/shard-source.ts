/**
 * Puts a device's listeners on the instance its directory entry `deviceShards/{id}` (default
 * instance) names; no entry: the default instance (single-instance setups). The entry is read
 * once, not listened to (one listen per device less at sign-in), and read again when the device's
 * data vanishes from the instance it was on: a move (model/src/shard-move.ts) copies the device,
 * switches the entry, then removes the device from its old instance. Rules without a directory
 * (deployed before shards) deny the read: the device is then on the default instance.
 */
import { get, ref, type Database } from 'firebase/database';
import { deviceShardPath } from '@firelink/model';
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
}

export function followShard(dbs: Databases, shards: ShardMap, deviceId: string, follow: ShardFollow): () => void {
  let stopCurrent: (() => void) | undefined;
  let stopped = false;
  let reading = false;
  const place = (entry: unknown): void => {
    if (stopped) return;
    const change = shards.apply(deviceId, entry);
    if (change.kind === 'same') return;
    stopCurrent?.();
    stopCurrent = undefined;
    if (change.kind === 'invalid') follow.invalid(change.error);
    else stopCurrent = follow.start(dbs.instance(change.instance), readEntry);
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
  readEntry();
  return () => {
    stopped = true;
    stopCurrent?.();
    shards.remove(deviceId);
  };
}
