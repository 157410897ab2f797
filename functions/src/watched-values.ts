/**
 * Values a function reads for nearly every event of a device (its config, its zone), kept in memory
 * by a listener instead of one `get()` per event: the first read of a location starts a `value`
 * listener and waits for its first snapshot; later reads answer from memory, as fresh as the last
 * change the database pushed to this instance (a write racing an event may be seen or not, as with
 * a `get()` issued at that moment). Bounded: past `limit` locations the least recently read one is
 * unlistened. firebase-admin `Reference.on`/`off` (the Realtime Database listener API).
 */
import type { DataSnapshot, Reference } from 'firebase-admin/database';

interface Entry {
  ref: Reference;
  callback: (snapshot: DataSnapshot) => void;
  /** Resolves with the first value; afterwards `value` holds the latest. */
  first: Promise<unknown>;
  value: unknown;
  received: boolean;
  settleFirst(value: Promise<unknown>): void;
}

export class WatchedValues {
  /** Insertion order = least recently read first. */
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`WatchedValues: limit must be a positive integer, got ${limit}`);
  }

  /** The value at `ref` (`key` names it uniquely, database included). */
  async read(key: string, ref: Reference): Promise<unknown> {
    const entry = this.entries.get(key);
    if (entry !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, entry);
      return entry.first;
    }
    return this.watch(key, ref).first;
  }

  /**
   * As `read`, keyed `<instance>/<key>`, when `instance` names the database; without it (nothing
   * to key a listener by) one `get()`.
   */
  async readIn(instance: string | undefined, key: string, ref: Reference): Promise<unknown> {
    return instance === undefined ? (await ref.get()).val() : this.read(`${instance}/${key}`, ref);
  }

  /** Locations listened to now (for tests). */
  get size(): number {
    return this.entries.size;
  }

  /** Stops every listener. */
  clear(): void {
    for (const key of [...this.entries.keys()]) this.forget(key);
  }

  private watch(key: string, ref: Reference): Entry {
    let settle!: (value: Promise<unknown>) => void;
    const first = new Promise<unknown>((resolve) => {
      settle = resolve;
    });
    const entry: Entry = {
      ref,
      first,
      value: undefined,
      received: false,
      settleFirst: settle,
      callback: (snapshot) => {
        entry.value = snapshot.val();
        entry.received = true;
        // After the first snapshot, `first` answers with the latest value.
        entry.first = Promise.resolve(entry.value);
        settle(entry.first);
      },
    };
    this.entries.set(key, entry);
    ref.on('value', entry.callback, (error: Error) => {
      // A cancelled listener (e.g. refused by the rules) must not keep answering.
      if (this.entries.get(key) === entry) this.entries.delete(key);
      settle(Promise.reject(error));
    });
    if (this.entries.size > this.limit) this.forget(this.entries.keys().next().value as string);
    return entry;
  }

  /**
   * Stops listening to `key`. A `get()` of a listened location answers from the listener's copy
   * (@firebase/database `repoGetValue` takes a complete server cache when one exists), so a reader
   * that must see the server's value now forgets it first.
   */
  forget(key: string): void {
    const entry = this.entries.get(key);
    if (entry === undefined) return;
    this.entries.delete(key);
    entry.ref.off('value', entry.callback);
    // Readers still waiting for the first value get it from a read instead.
    if (!entry.received) entry.settleFirst(entry.ref.get().then((snapshot) => snapshot.val()));
  }
}
