import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CompiledSchedule } from './discovery.js';
import { ScheduleTimers } from './schedule-timers.js';

function every(periodMs: number, name: string): CompiledSchedule {
  return {
    info: { name, schedule: `every ${periodMs} ms`, timeZone: 'UTC', region: 'us-central1', timeoutSeconds: 60, nextRunAt: null },
    schedule: { nextAfter: (fromMs) => (Math.floor(fromMs / periodMs) + 1) * periodMs },
  };
}

beforeEach(() => {
  vi.useFakeTimers({ now: Date.UTC(2026, 0, 1, 0, 0, 5) });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('ScheduleTimers', () => {
  it('runs each schedule at its due times, re-arms after each run, and stops on clear', async () => {
    const runs: string[] = [];
    const timers = new ScheduleTimers(async (name, dueMs) => {
      runs.push(`${name}@${new Date(dueMs).toISOString().slice(14, 19)}`);
    });
    const minute = every(60_000, 'minute');
    const hour = every(3_600_000, 'hour');
    timers.arm([minute, hour]);
    expect(minute.info.nextRunAt).toBe('2026-01-01T00:01:00.000Z');
    expect(hour.info.nextRunAt).toBe('2026-01-01T01:00:00.000Z');
    await vi.advanceTimersByTimeAsync(3 * 60_000);
    expect(runs).toEqual(['minute@01:00', 'minute@02:00', 'minute@03:00']);
    expect(minute.info.nextRunAt).toBe('2026-01-01T00:04:00.000Z');
    await vi.advanceTimersByTimeAsync(60 * 60_000);
    expect(runs.filter((r) => r.startsWith('hour'))).toEqual(['hour@00:00']);
    timers.clear();
    const seen = runs.length;
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(runs.length).toBe(seen);
  });

  it('re-arms in steps for waits beyond setTimeout\'s 24.8-day ceiling', async () => {
    const runs: number[] = [];
    const timers = new ScheduleTimers(async (_name, dueMs) => {
      runs.push(dueMs);
    });
    const yearly: CompiledSchedule = { ...every(1, 'yearly'), schedule: { nextAfter: (from) => from + 40 * 86_400_000 } };
    timers.arm([yearly]);
    await vi.advanceTimersByTimeAsync(30 * 86_400_000);
    expect(runs).toEqual([]);
    await vi.advanceTimersByTimeAsync(11 * 86_400_000);
    expect(runs).toHaveLength(1);
    timers.clear();
  });
});
