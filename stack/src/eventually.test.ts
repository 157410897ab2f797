import { describe, expect, it } from 'vitest';
import { GiveUp, eventually } from './eventually.js';

describe('eventually', () => {
  it('returns the first value that is not undefined or false', async () => {
    let calls = 0;
    const value = await eventually('three calls', () => (++calls >= 3 ? `done after ${calls}` : undefined), { intervalMs: 1 });
    expect(value).toBe('done after 3');
  });

  it('retries through errors', async () => {
    let calls = 0;
    const value = await eventually('no error', () => {
      calls += 1;
      if (calls < 2) throw new Error('not yet');
      return calls;
    }, { intervalMs: 1 });
    expect(value).toBe(2);
  });

  it('fails after the timeout naming what it waited for and the last error', async () => {
    await expect(
      eventually('the impossible', () => {
        throw new Error('still broken');
      }, { timeoutMs: 30, intervalMs: 5 }),
    ).rejects.toThrow(/timed out after 30 ms waiting for the impossible: still broken/);
  });

  it('stops at once on GiveUp (the awaited process has exited), without waiting for the timeout', async () => {
    let calls = 0;
    await expect(
      eventually('a dead process', () => {
        calls += 1;
        throw new GiveUp('it exited with code 1');
      }, { timeoutMs: 60_000, intervalMs: 5 }),
    ).rejects.toThrow(/gave up waiting for a dead process: it exited with code 1/);
    expect(calls).toBe(1);
  });
});
