/**
 * Feeds a DeviceStore: meta (access), config, state, status, the newest commands and the newest
 * stamped readings (the live chart), each through its own listener.
 */
import { limitToLast, onChildAdded, onChildChanged, onChildRemoved, onValue, orderByChild, query, ref, type Database, type Query } from 'firebase/database';
import { commandsPath, configPath, metaPath, readingsPath, statePath, statusPath } from '@firelink/model';
import { LIVE_READINGS_MAX, type DeviceStore } from '../store/device-store.js';
import { failureOf } from './errors.js';

export const COMMANDS_SHOWN = 20;

function watchChildren(q: Query, apply: (id: string, value: unknown) => void): Array<() => void> {
  const ignore = (): void => undefined; // the meta listener reports access problems
  return [
    onChildAdded(q, (s) => apply(s.key!, s.val()), ignore),
    onChildChanged(q, (s) => apply(s.key!, s.val()), ignore),
    onChildRemoved(q, (s) => apply(s.key!, null), ignore),
  ];
}

/** `vanished`: called when the device has no meta on `db` (moved away, or deleted). */
export function watchDevice(db: Database, store: DeviceStore, vanished: () => void = () => undefined): () => void {
  const id = store.deviceId;
  const ignore = (): void => undefined;
  const offs: Array<() => void> = [
    onValue(ref(db, metaPath(id)), (s) => {
      store.applyMeta(s.val());
      if (!s.exists()) vanished();
    }, (err) => {
      vanished(); // moved away (a shard's rules refuse once the device's meta is gone)?
      if (failureOf(err) === 'permission-denied') store.deny();
      else store.access.set('missing');
    }),
    onValue(ref(db, configPath(id)), (s) => store.applyConfig(s.val()), ignore),
    onValue(ref(db, statePath(id)), (s) => store.applyState(s.val()), ignore),
    onValue(ref(db, statusPath(id)), (s) => store.applyStatus(s.val()), ignore),
    ...watchChildren(query(ref(db, commandsPath(id)), orderByChild('createdAt'), limitToLast(COMMANDS_SHOWN)), (k, v) => store.applyCommand(k, v)),
    // Unstamped readings (no ts yet) sort first and stay out of the last N until stamped.
    ...watchChildren(query(ref(db, readingsPath(id)), orderByChild('ts'), limitToLast(LIVE_READINGS_MAX)), (k, v) => store.applyReading(k, v)),
  ];
  return () => offs.forEach((off) => off());
}
