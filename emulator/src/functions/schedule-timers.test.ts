import { describe, expect, it } from 'vitest';
import type { CompiledSchedule } from './discovery.js';
import { ScheduleTimers } from './schedule-timers.js';

function every(periodMs: number, name: string): CompiledSchedule {
  return {
    info: { name, schedule: `every ${periodMs} ms`, timeZone: 'UTC', region: 'us-central1', timeoutSeconds: 60, nextRunAt: null },
    schedule: { nextAfter: (fromMs) => (Math.floor(fromMs / periodMs) + 1) * periodMs },
  };
}

describe('ScheduleTimers', () => {
  it('runs each schedule at its due times, re-arms after each run, and stops on clear', async () => {
    const runs: Array<{ name: string; dueMs: number }> = [];
    const timers = new ScheduleTimers(async (name, dueMs) => {
      runs.push({ name, dueMs });
    });
    const fast = every(20, 'fast');
    timers.arm([fast]);
    expect(Date.parse(fast.info.nextRunAt as string)).toBeGreaterThan(Date.now() - 1);
    const deadline = Date.now() + 10_000;
    while (runs.length < 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    timers.clear();
    const seen = runs.length;
    expect(seen).toBeGreaterThanOrEqual(3);
    // Each run is for a later grid point than the previous one; none is repeated.
    const dues = runs.map((r) => r.dueMs);
    expect(dues.every((d, i) => i === 0 || d > (dues[i - 1] as number))).toBe(true);
    expect(dues.every((d) => d % 20 === 0)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(runs.length).toBe(seen);
  });
});
