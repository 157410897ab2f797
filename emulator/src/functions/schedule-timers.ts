// Arms one timer per scheduled function and re-arms it after each run.
import type { CompiledSchedule } from './discovery.js';

/** setTimeout's ceiling (2^31-1 ms, ~24.8 days): longer waits are re-armed in steps. */
const MAX_TIMER_MS = 2_147_483_647;

export class ScheduleTimers {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly run: (name: string, scheduleTimeMs: number) => Promise<void>) {}

  /** Replaces all timers with those of `schedules`; updates each `info.nextRunAt`. */
  arm(schedules: readonly CompiledSchedule[]): void {
    this.clear();
    for (const schedule of schedules) this.armOne(schedule, Date.now());
  }

  clear(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private armOne(schedule: CompiledSchedule, fromMs: number): void {
    const dueMs = schedule.schedule.nextAfter(fromMs);
    schedule.info.nextRunAt = new Date(dueMs).toISOString();
    const wait = (): void => {
      const remainingMs = dueMs - Date.now();
      const timer = setTimeout(
        () => {
          if (remainingMs > MAX_TIMER_MS) return wait();
          // The host passes a run that logs a failed job and never rejects (host.ts); finally re-arms.
          void this.run(schedule.info.name, dueMs).finally(() => {
            if (this.timers.get(schedule.info.name) === timer) this.armOne(schedule, Math.max(Date.now(), dueMs));
          });
        },
        Math.min(Math.max(remainingMs, 0), MAX_TIMER_MS),
      );
      timer.unref();
      this.timers.set(schedule.info.name, timer);
    };
    wait();
  }
}
