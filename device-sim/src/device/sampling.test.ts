import type { ReadingWrite } from '@firelink/model';
import { describe, expect, it } from 'vitest';
import type { Clock, TimerHandle } from '../clock.js';
import { seededRandom } from '../random.js';
import { FakeTransport } from './fake-transport.js';
import { pushIds } from './live-device.js';
import { MemoryQueueStore, OfflineQueue } from './queue.js';
import { Sampling } from './sampling.js';
import { SignalGenerator } from './signal.js';

/** A clock whose timers fire only when the test says, at whatever time it sets: a late event loop. */
class LateClock implements Clock {
  now = 0;
  readonly timers: { atMs: number; fn: () => void }[] = [];
  nowMs(): number {
    return this.now;
  }
  setTimeout(fn: () => void, delayMs: number): TimerHandle {
    const timer = { atMs: this.now + delayMs, fn };
    this.timers.push(timer);
    return { id: this.timers.length };
  }
  clearTimeout(): void {}
  /** Fires the pending timers (due by then) in one turn at `nowMs`, as a blocked loop does. */
  fireAllAt(nowMs: number): void {
    this.now = nowMs;
    const due = this.timers.filter((t) => t.atMs <= nowMs);
    this.timers.splice(0, this.timers.length, ...this.timers.filter((t) => t.atMs > nowMs));
    for (const t of due) t.fn();
  }
  pendingAt(): number[] {
    return this.timers.map((t) => t.atMs);
  }
}

async function sampler(clock: LateClock, sampled: number[]): Promise<Sampling> {
  const random = seededRandom(7);
  const queue = await OfflineQueue.open<ReadingWrite>({
    store: new MemoryQueueStore<ReadingWrite>(),
    maxItems: 100,
    persistDelayMs: 0,
    events: { onDrop: () => {}, onPersistError: () => {} },
    setTimer: () => ({ id: 0 }),
  });
  return new Sampling({
    deviceId: 'dev-1',
    transport: new FakeTransport(),
    queue,
    signal: new SignalGenerator({ random }),
    nextPushId: pushIds(random),
    clock,
    sampleMs: () => 1_000,
    onSample: () => sampled.push(clock.now),
    onError: (e) => {
      throw e;
    },
  });
}

describe('Sampling', () => {
  it('keeps each device on its own phase when a busy loop fires their timers together', async () => {
    const clock = new LateClock();
    const a: number[] = [];
    const b: number[] = [];
    const first = await sampler(clock, a);
    first.start();
    clock.now = 400;
    const second = await sampler(clock, b);
    second.start();
    expect(clock.pendingAt()).toEqual([1_000, 1_400]);
    // The loop was blocked until 1,450: both fire in one turn...
    clock.fireAllAt(1_450);
    expect([a, b]).toEqual([[1_450], [1_450]]);
    // ...and are still due apart, on their own phases (not both at 2,450).
    expect(clock.pendingAt()).toEqual([2_000, 2_400]);
  });

  it('skips the readings a loop blocked for longer than a period missed, instead of a burst', async () => {
    const clock = new LateClock();
    const sampled: number[] = [];
    (await sampler(clock, sampled)).start();
    clock.fireAllAt(1_000);
    clock.fireAllAt(4_500); // due at 2,000: 3,000 and 4,000 were missed
    expect(sampled).toEqual([1_000, 4_500]);
    expect(clock.pendingAt()).toEqual([5_000]);
  });
});
