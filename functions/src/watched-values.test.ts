import { describe, expect, it } from 'vitest';
import type { DataSnapshot, Reference } from 'firebase-admin/database';
import { WatchedValues } from './watched-values.js';

/** A location with the listener API of a Reference: `push` stands for a change the server sends. */
class FakeLocation {
  listeners: Array<(snapshot: DataSnapshot) => void> = [];
  cancels: Array<(error: Error) => void> = [];
  offCalls = 0;
  constructor(private value: unknown) {}
  asRef(): Reference {
    return {
      on: (_event: string, callback: (snapshot: DataSnapshot) => void, cancel: (error: Error) => void) => {
        this.listeners.push(callback);
        this.cancels.push(cancel);
      },
      off: (_event: string, callback: (snapshot: DataSnapshot) => void) => {
        this.offCalls++;
        this.listeners = this.listeners.filter((l) => l !== callback);
      },
      get: async () => ({ val: () => this.value }) as DataSnapshot,
    } as unknown as Reference;
  }
  push(value: unknown): void {
    this.value = value;
    for (const l of this.listeners) l({ val: () => this.value } as DataSnapshot);
  }
}

describe('WatchedValues', () => {
  it('readIn keys the listener by instance, and without one reads once and listens to nothing', async () => {
    const location = new FakeLocation({ zone: 'z1' });
    const values = new WatchedValues(10);
    expect(await values.readIn(undefined, 'd1', location.asRef())).toEqual({ zone: 'z1' });
    expect(location.listeners).toHaveLength(0);
    expect(values.size).toBe(0);
    const first = values.readIn('db-a', 'd1', location.asRef());
    location.push({ zone: 'z2' });
    expect(await first).toEqual({ zone: 'z2' });
    expect(location.listeners).toHaveLength(1);
    // The same key as `read` uses: `<instance>/<key>`.
    expect(await values.read('db-a/d1', location.asRef())).toEqual({ zone: 'z2' });
    expect(location.listeners).toHaveLength(1);
  });

  it('waits for the first value, then answers from memory with every pushed change', async () => {
    const location = new FakeLocation({ sampleMs: 1000 });
    const values = new WatchedValues(10);
    const first = values.read('a', location.asRef());
    location.push({ sampleMs: 1000 });
    expect(await first).toEqual({ sampleMs: 1000 });
    location.push({ sampleMs: 2000 });
    expect(await values.read('a', location.asRef())).toEqual({ sampleMs: 2000 });
    expect(location.listeners).toHaveLength(1);
  });

  it('stops listening to the least recently read location past its limit', async () => {
    const a = new FakeLocation(1);
    const b = new FakeLocation(2);
    const c = new FakeLocation(3);
    const values = new WatchedValues(2);
    const readA = values.read('a', a.asRef());
    a.push(1);
    await readA;
    const readB = values.read('b', b.asRef());
    b.push(2);
    await readB;
    a.push(10);
    expect(await values.read('a', a.asRef())).toBe(10); // a is now the most recent
    void values.read('c', c.asRef());
    expect(values.size).toBe(2);
    expect(b.offCalls).toBe(1);
    expect(a.offCalls).toBe(0);
  });

  it('answers a reader of a location dropped before its first value with a read', async () => {
    const a = new FakeLocation('stored-a');
    const b = new FakeLocation('stored-b');
    const values = new WatchedValues(1);
    const readA = values.read('a', a.asRef());
    void values.read('b', b.asRef()); // drops a, which has not answered yet
    expect(a.offCalls).toBe(1);
    expect(await readA).toBe('stored-a');
  });

  it('rejects and forgets a location whose listener is cancelled', async () => {
    const location = new FakeLocation(null);
    const values = new WatchedValues(5);
    const read = values.read('x', location.asRef());
    location.cancels[0]!(new Error('permission_denied'));
    await expect(read).rejects.toThrow('permission_denied');
    expect(values.size).toBe(0);
  });

  it('refuses a limit that is not a positive integer', () => {
    expect(() => new WatchedValues(0)).toThrow(/limit must be a positive integer, got 0/);
  });
});
