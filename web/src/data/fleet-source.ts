/**
 * Feeds the FleetStore from the database: the owner's index `users/{uid}/devices`, then two
 * listeners per device: meta, and `state` + `status` together. The rules let an owner read each of
 * their devices' nodes but never `devices` as a whole, and the readings under a device are far too
 * many to listen to the whole device node; a device node's keys are fixed by the rules (commands,
 * config, meta, readings, state, status), so the key range "state".."status" holds exactly those
 * two, and one listener instead of two halves the listens a fleet opens at sign-in.
 */
import { endAt, onValue, orderByKey, query, ref, startAt, type Database } from 'firebase/database';
import { DEVICE_ID_PATTERN, devicePath, metaPath, userDevicesPath } from '@firelink/model';
import type { FleetStore } from '../store/fleet-store.js';
import { failureOf } from './errors.js';

export function watchFleet(db: Database, uid: string, store: FleetStore): () => void {
  const perDevice = new Map<string, Array<() => void>>();
  const stopDevice = (id: string): void => {
    for (const off of perDevice.get(id) ?? []) off();
    perDevice.delete(id);
    store.removeDevice(id);
  };
  const denied = (err: Error): void => store.setPhase(failureOf(err) === 'permission-denied' ? 'denied' : 'error', err.message);
  const offIndex = onValue(
    ref(db, userDevicesPath(uid)),
    (snap) => {
      const ids = new Set(Object.keys((snap.val() as Record<string, unknown> | null) ?? {}));
      for (const id of [...perDevice.keys()]) if (!ids.has(id)) stopDevice(id);
      for (const id of ids) {
        if (perDevice.has(id) || !DEVICE_ID_PATTERN.test(id)) continue;
        store.addDevice(id);
        const ignore = (): void => undefined; // one device refusing (moved away meanwhile) leaves the others live
        perDevice.set(id, [
          onValue(ref(db, metaPath(id)), (s) => store.applyMeta(id, s.val()), ignore),
          onValue(query(ref(db, devicePath(id)), orderByKey(), startAt('state'), endAt('status')), (s) => {
            const live = (s.val() as { state?: unknown; status?: unknown } | null) ?? {};
            store.applyState(id, live.state ?? null);
            store.applyStatus(id, live.status ?? null);
          }, ignore),
        ]);
      }
      if (store.phase !== 'ready') {
        performance.mark('firelink:fleet-index');
        store.setPhase('ready');
      }
    },
    denied,
  );
  return () => {
    offIndex();
    for (const id of [...perDevice.keys()]) stopDevice(id);
  };
}
