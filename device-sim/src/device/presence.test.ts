import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import { deviceLogs } from '../logs.js';
import { FakeTransport } from './fake-transport.js';
import { Presence, randomPhase } from './presence.js';

const HEARTBEAT_MS = 10_000;

/** A device's presence whose random source always answers `fraction`; records when it wrote status. */
function presenceAt(clock: ManualClock, fraction: number) {
  const transport = new FakeTransport();
  const startMs = clock.nowMs();
  const presence = new Presence({
    deviceId: 'dev-1',
    fw: 'sim-0.1.0',
    transport,
    clock,
    logs: deviceLogs({ write: () => {} }, 'dev-1'),
    heartbeatMs: () => HEARTBEAT_MS,
    random: () => fraction,
    onError: (error) => {
      throw error;
    },
  });
  const writes: number[] = [];
  transport.onWrite = (path) => {
    if (path === 'devices/dev-1/status') writes.push(clock.nowMs() - startMs);
  };
  return { presence, writes };
}

describe('Presence', () => {
  it('says online at start, beats first at a random point of its period, then every period', async () => {
    const clock = new ManualClock();
    const early = presenceAt(clock, 0.25);
    const late = presenceAt(clock, 0.75);
    await Promise.all([early.presence.start(), late.presence.start()]);
    await clock.advance(3 * HEARTBEAT_MS);
    // Started together, the two devices do not beat in step.
    expect(early.writes).toEqual([0, 2_500, 12_500, 22_500]);
    expect(late.writes).toEqual([0, 7_500, 17_500, 27_500]);
    await Promise.all([early.presence.stop(), late.presence.stop()]);
  });

  it('randomPhase stays within one period', () => {
    expect(randomPhase(HEARTBEAT_MS, () => 0)).toBe(0);
    expect(randomPhase(HEARTBEAT_MS, () => 0.999_999)).toBeLessThan(HEARTBEAT_MS);
  });
});
