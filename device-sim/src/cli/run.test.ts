import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import { waitUntil } from './run.js';

describe('run timing on an injected clock', () => {
  it('waitUntil ends after durationMs of the given clock, or at once on abort', async () => {
    const clock = new ManualClock();
    let done = false;
    void waitUntil(new AbortController().signal, 5_000, clock).then(() => (done = true));
    await clock.advance(4_999);
    expect(done).toBe(false);
    await clock.advance(1);
    expect(done).toBe(true);
    const controller = new AbortController();
    const forever = waitUntil(controller.signal, 0, clock);
    controller.abort();
    await expect(forever).resolves.toBeUndefined();
  });
});
