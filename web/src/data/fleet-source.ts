/**
 * Feeds the FleetStore from the per-owner fleet summary (model/src/fleet-summary.ts): the owner's
 * index `users/{uid}/devices` on the default instance, and ONE listener per instance on
 * `fleets/{uid}` there (child events, so a change costs one entry, not the whole summary). The
 * default instance's summary is listened to at once; a device missing from every summary answered
 * so far has its directory entry `deviceShards/{id}` read, which names the instance to listen to
 * next. After the first render the remaining entries are read in batches, so a copy left on
 * another instance by a move cut short gives way to the directory's instance. A device whose entry
 * vanishes from its instance (a move removes it there) has its directory entry read again.
 * The device view keeps its own per-device listeners (device-source.ts).
 */
import { get, onChildAdded, onChildChanged, onChildRemoved, onValue, ref, type Database } from 'firebase/database';
import { DEVICE_ID_PATTERN, deviceShardPath, fleetsPath, userDevicesPath } from '@firelink/model';
import { shardOfEntry } from '../logic/shards.js';
import type { FleetStore } from '../store/fleet-store.js';
import { failureOf } from './errors.js';
import type { Databases } from './firebase.js';

/** Directory reads sent per batch after the first render, and the pause between batches. */
const CONFIRM_BATCH = 100;
const CONFIRM_PAUSE_MS = 50;

interface Summary {
  entries: Map<string, unknown>;
  answered: boolean;
  stop: () => void;
}

/** The instance key of the default instance in the maps below. */
const DEFAULT = '';
const keyOf = (instance: string | null): string => instance ?? DEFAULT;

export function watchFleet(dbs: Databases, uid: string, store: FleetStore): () => void {
  const owned = new Set<string>();
  const summaries = new Map<string, Summary>();
  /** Directory answers: device → instance key. */
  const placed = new Map<string, string>();
  /** Device → the instance key its row was last fed from. */
  const source = new Map<string, string>();
  const reading = new Set<string>();
  let confirmQueue: string[] = [];
  let confirming: ReturnType<typeof setTimeout> | undefined;
  let firstRender = false;
  let stopped = false;

  const apply = (id: string, from: string, entry: unknown): void => {
    source.set(id, from);
    store.applySummary(id, entry);
  };

  const readEntry = (id: string): void => {
    if (reading.has(id) || stopped) return;
    reading.add(id);
    const place = (value: unknown): void => {
      reading.delete(id);
      if (stopped || !owned.has(id)) return;
      const shard = shardOfEntry(id, value);
      if ('error' in shard) {
        console.warn(`Firelink: ${shard.error}`);
        placed.set(id, DEFAULT);
        apply(id, DEFAULT, null); // shown as a device without data instead of holding the fleet in "loading"
        return;
      }
      placed.set(id, keyOf(shard.instance));
      listen(shard.instance);
      decide(id);
      maybeConfirm();
    };
    get(ref(dbs.directory, deviceShardPath(id))).then(
      (s) => place(s.val()),
      (err: Error) => {
        // Rules without a directory (deployed before shards) deny it: the default instance.
        if (failureOf(err) === 'permission-denied') place(null);
        else {
          reading.delete(id);
          console.warn(`Firelink: deviceShards/${id} could not be read (${err.message}); reload the page to retry`);
        }
      },
    );
  };

  /** Feeds the row of `id` from the summary that holds it, or finds out where it lives. */
  const decide = (id: string): void => {
    if (!owned.has(id)) return;
    const at = placed.get(id);
    if (at !== undefined) {
      const summary = summaries.get(at);
      if (summary?.answered) apply(id, at, summary.entries.get(id) ?? null);
      return;
    }
    const holders = [...summaries].filter(([, s]) => s.entries.has(id));
    if (holders.length === 1) apply(id, holders[0]![0], holders[0]![1].entries.get(id));
    else if (holders.length > 1 || [...summaries.values()].every((s) => s.answered)) readEntry(id);
  };

  const drain = (): void => {
    const batch = confirmQueue.slice(0, CONFIRM_BATCH);
    confirmQueue = confirmQueue.slice(CONFIRM_BATCH);
    for (const id of batch) if (owned.has(id) && !placed.has(id)) readEntry(id);
    confirming = confirmQueue.length > 0 ? setTimeout(drain, CONFIRM_PAUSE_MS) : undefined;
  };
  /** After every row has loaded once: confirm the rows placed without the directory. */
  const maybeConfirm = (): void => {
    if (firstRender || owned.size === 0 || store.loadedCount() < owned.size) return;
    firstRender = true;
    confirmQueue = [...owned].filter((id) => !placed.has(id));
    confirming = setTimeout(drain, 0);
  };

  function listen(instance: string | null): void {
    const key = keyOf(instance);
    if (summaries.has(key) || stopped) return;
    const summary: Summary = { entries: new Map(), answered: false, stop: () => undefined };
    summaries.set(key, summary);
    const db: Database = dbs.instance(instance);
    const at = ref(db, fleetsPath(uid));
    const changed = (s: { key: string | null; val(): unknown }): void => {
      const id = s.key;
      if (id === null) return;
      summary.entries.set(id, s.val());
      if (!summary.answered) return; // the first answer decides every row at once
      const at = placed.get(id);
      if (at !== undefined) {
        if (at === key) apply(id, key, s.val());
      } else if (source.get(id) === key) apply(id, key, s.val());
      else decide(id);
      maybeConfirm();
    };
    const removed = (s: { key: string | null }): void => {
      const id = s.key;
      if (id === null) return;
      summary.entries.delete(id);
      if (source.get(id) !== key) return;
      // Gone from its instance (moved, or ownership changed): ask the directory again.
      placed.delete(id);
      source.delete(id);
      readEntry(id);
    };
    const answered = (): void => {
      if (summary.answered) return;
      summary.answered = true;
      for (const id of owned) decide(id);
      maybeConfirm();
    };
    const refused = (): void => {
      summary.entries.clear();
      answered();
    };
    const offs = [
      onChildAdded(at, changed, refused),
      onChildChanged(at, changed, refused),
      onChildRemoved(at, removed, refused),
      // Raised after the initial child events (SDK event order): the summary has answered.
      onValue(at, answered, refused, { onlyOnce: true }),
    ];
    summary.stop = () => offs.forEach((off) => off());
  }

  listen(null);
  const offIndex = onValue(
    ref(dbs.directory, userDevicesPath(uid)),
    (snap) => {
      const ids = new Set(Object.keys((snap.val() as Record<string, unknown> | null) ?? {}).filter((id) => DEVICE_ID_PATTERN.test(id)));
      for (const id of [...owned]) {
        if (ids.has(id)) continue;
        owned.delete(id);
        placed.delete(id);
        source.delete(id);
        store.removeDevice(id);
      }
      for (const id of ids) {
        if (owned.has(id)) continue;
        owned.add(id);
        store.addDevice(id);
        decide(id);
      }
      if (store.phase !== 'ready') {
        performance.mark('firelink:fleet-index');
        store.setPhase('ready');
      }
      maybeConfirm();
    },
    (err: Error) => store.setPhase(failureOf(err) === 'permission-denied' ? 'denied' : 'error', err.message),
  );
  return () => {
    stopped = true;
    clearTimeout(confirming);
    offIndex();
    for (const summary of summaries.values()) summary.stop();
    for (const id of owned) store.removeDevice(id);
  };
}
