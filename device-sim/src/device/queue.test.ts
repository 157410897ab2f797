import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileQueueStore, MemoryQueueStore, OfflineQueue, type QueueEvents } from './queue.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

function recorder() {
  const drops: string[][] = [];
  const errors: unknown[] = [];
  const events: QueueEvents = { onDrop: (ids) => drops.push([...ids]), onPersistError: (e) => errors.push(e) };
  return { drops, errors, events };
}

/** Timers under test control: nothing runs until `fire()`. */
function manualTimers() {
  const pending: (() => void)[] = [];
  return { setTimer: (fn: () => void) => void pending.push(fn), fire: () => pending.splice(0).forEach((fn) => fn()), pending };
}

describe('OfflineQueue', () => {
  it('keeps items in order until acknowledged, ignoring duplicate ids', async () => {
    const { events } = recorder();
    const queue = await OfflineQueue.open({ store: new MemoryQueueStore<number>(), maxItems: 10, persistDelayMs: 0, events, setTimer: () => {} });
    queue.enqueue({ id: 'a', value: 1 });
    queue.enqueue({ id: 'b', value: 2 });
    queue.enqueue({ id: 'a', value: 99 });
    expect(queue.peek(10)).toEqual([{ id: 'a', value: 1 }, { id: 'b', value: 2 }]);
    queue.ack('a');
    queue.ack('zzz');
    expect(queue.peek(10)).toEqual([{ id: 'b', value: 2 }]);
    expect(queue.has('b')).toBe(true);
  });

  it('drops the oldest items only past the bound, and says which', async () => {
    const { drops, events } = recorder();
    const queue = await OfflineQueue.open({ store: new MemoryQueueStore<number>(), maxItems: 3, persistDelayMs: 0, events, setTimer: () => {} });
    for (const id of ['a', 'b', 'c']) queue.enqueue({ id, value: 0 });
    expect(drops).toEqual([]);
    queue.enqueue({ id: 'd', value: 0 });
    queue.enqueue({ id: 'e', value: 0 });
    expect(drops).toEqual([['a'], ['b']]);
    expect(queue.peek(10).map((i) => i.id)).toEqual(['c', 'd', 'e']);
  });

  it('coalesces writes: many changes inside the window become one save', async () => {
    const { events } = recorder();
    const store = new MemoryQueueStore<number>();
    const timers = manualTimers();
    const queue = await OfflineQueue.open({ store, maxItems: 100, persistDelayMs: 1_000, events, setTimer: timers.setTimer });
    for (let i = 0; i < 50; i += 1) queue.enqueue({ id: `k${i}`, value: i });
    expect(timers.pending.length).toBe(1);
    expect(store.saves).toBe(0);
    timers.fire();
    await queue.flush();
    expect(store.saves).toBe(1);
    expect(store.items.length).toBe(50);
  });

  it('survives a restart through its file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'queue-'));
    dirs.push(dir);
    const file = join(dir, 'sub', 'dev-1.queue.json');
    const { events } = recorder();
    const first = await OfflineQueue.open({ store: new FileQueueStore<{ ir: number }>(file), maxItems: 10, persistDelayMs: 0, events });
    first.enqueue({ id: 'a', value: { ir: 1 } });
    first.enqueue({ id: 'b', value: { ir: 2 } });
    first.ack('a');
    await first.flush();
    const second = await OfflineQueue.open({ store: new FileQueueStore<{ ir: number }>(file), maxItems: 10, persistDelayMs: 0, events });
    expect(second.peek(10)).toEqual([{ id: 'b', value: { ir: 2 } }]);
    expect((await readdir(join(dir, 'sub'))).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('moves a corrupt file aside instead of overwriting it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'queue-'));
    dirs.push(dir);
    const file = join(dir, 'q.json');
    await writeFile(file, '{"version":1,"items":[{"id"');
    const moved: string[] = [];
    const store = new FileQueueStore<number>(file, (to) => moved.push(to));
    expect(await store.load()).toEqual([]);
    expect(moved.length).toBe(1);
    expect(await readFile(moved[0]!, 'utf8')).toBe('{"version":1,"items":[{"id"');
  });

  it('reports a failed save and keeps the items', async () => {
    const { errors, events } = recorder();
    const store = new MemoryQueueStore<number>();
    store.save = async () => {
      throw new Error('disk full');
    };
    const queue = await OfflineQueue.open({ store, maxItems: 10, persistDelayMs: 0, events, setTimer: () => {} });
    queue.enqueue({ id: 'a', value: 1 });
    await expect(queue.flush()).rejects.toThrow(/offline queue/);
    expect(errors.length).toBe(1);
    expect(queue.size).toBe(1);
  });
});
