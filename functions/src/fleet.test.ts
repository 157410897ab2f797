import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { forEachDevice, MAX_PACE_INTERVAL_MS, shardSpreadMs } from './fleet.js';

const ids = (n: number): string[] => Array.from({ length: n }, (_, i) => `d${String(i).padStart(2, '0')}`);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs forEachDevice with visits of `visitMs` each; start times relative to the call, and the most visits in flight. */
async function run(
  count: number,
  options: { concurrency: number; spreadMs: number; visitMs: number; fail?: string },
): Promise<{ starts: number[]; visited: string[]; maxInFlight: number; failed: number }> {
  const t0 = Date.now();
  const starts: number[] = [];
  const visited: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const done = forEachDevice(
    ids(count),
    'test',
    async (deviceId) => {
      starts.push(Date.now() - t0);
      visited.push(deviceId);
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      try {
        await sleep(options.visitMs);
        if (deviceId === options.fail) throw new Error('refused');
      } finally {
        inFlight -= 1;
      }
    },
    options.concurrency,
    options.spreadMs,
  );
  if (vi.isFakeTimers()) await vi.runAllTimersAsync();
  const { failed } = await done;
  return { starts, visited, maxInFlight, failed };
}

describe('forEachDevice pacing (fake timers)', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('starts visits evenly over the spread: spreadMs / devices apart', async () => {
    const { starts, maxInFlight, failed } = await run(10, { concurrency: 4, spreadMs: 200, visitMs: 5 });
    expect(starts).toEqual([0, 20, 40, 60, 80, 100, 120, 140, 160, 180]);
    expect(maxInFlight).toBe(1);
    expect(failed).toBe(0);
  });

  it('still bounds the visits in flight, and does not burst to catch up when visits are slow', async () => {
    const { starts, maxInFlight } = await run(10, { concurrency: 2, spreadMs: 200, visitMs: 100 });
    expect(maxInFlight).toBe(2);
    // A freed worker starts at once, the other one pace interval later: never two at once.
    expect(starts).toEqual([0, 20, 100, 120, 200, 220, 300, 320, 400, 420]);
  });

  it('with spread 0 starts as many as the concurrency allows at once', async () => {
    const { starts, maxInFlight } = await run(10, { concurrency: 4, spreadMs: 0, visitMs: 10 });
    expect(starts).toEqual([0, 0, 0, 0, 10, 10, 10, 10, 20, 20]);
    expect(maxInFlight).toBe(4);
  });

  it('waits at most MAX_PACE_INTERVAL_MS between starts, so a small fleet is done quickly', async () => {
    const { starts } = await run(3, { concurrency: 4, spreadMs: 40_000, visitMs: 1 });
    expect(MAX_PACE_INTERVAL_MS).toBe(50);
    expect(starts).toEqual([0, 50, 100]);
  });

  it('a failing device is counted and the others are still visited, on pace', async () => {
    const { starts, visited, failed } = await run(5, { concurrency: 2, spreadMs: 100, visitMs: 1, fail: 'd02' });
    expect(failed).toBe(1);
    expect(visited).toEqual(ids(5));
    expect(starts).toEqual([0, 20, 40, 60, 80]);
  });
});

describe('forEachDevice pacing (real timers)', () => {
  it('never starts a visit before its place in the pace', async () => {
    const { starts, visited } = await run(6, { concurrency: 3, spreadMs: 120, visitMs: 1 });
    expect(visited).toEqual(ids(6));
    // Timers fire late under load, never more than a millisecond early.
    starts.forEach((at, k) => expect(at).toBeGreaterThanOrEqual(k * 20 - 2));
  });
});

describe('shardSpreadMs', () => {
  it('divides the spread among the shards a job visits one after another', () => {
    expect(shardSpreadMs(40, 1)).toBe(40_000);
    expect(shardSpreadMs(40, 4)).toBe(10_000);
    expect(shardSpreadMs(0, 4)).toBe(0);
  });
});
