// When a scheduled function runs next. Cloud Scheduler accepts unix-cron and the App
// Engine "every N minutes|hours" form (cloud.google.com/scheduler/docs/configuring/cron-job-schedules);
// we support both, plus `every day HH:MM`, in the declared time zone (default UTC).
import { CronExpressionParser } from 'cron-parser';

export interface Schedule {
  /** Epoch ms of the first run strictly after `fromMs`. */
  nextAfter(fromMs: number): number;
}

const EVERY_INTERVAL = /^every\s+(\d+)\s+(minutes?|mins?|hours?)$/i;
const EVERY_DAY_AT = /^every\s+day\s+(\d{1,2}):(\d{2})$/i;

export function parseSchedule(text: string, timeZone: string): Schedule {
  const trimmed = text.trim();
  const interval = EVERY_INTERVAL.exec(trimmed);
  if (interval) {
    const count = Number(interval[1]);
    const unitMs = (interval[2] as string).toLowerCase().startsWith('h') ? 3_600_000 : 60_000;
    if (count < 1) throw new Error(`schedule "${text}": the interval must be at least 1`);
    const periodMs = count * unitMs;
    // Aligned to the epoch so restarts keep the same grid.
    return { nextAfter: (fromMs) => (Math.floor(fromMs / periodMs) + 1) * periodMs };
  }
  const dayAt = EVERY_DAY_AT.exec(trimmed);
  const cron = dayAt ? `${Number(dayAt[2])} ${Number(dayAt[1])} * * *` : trimmed;
  try {
    CronExpressionParser.parse(cron, { tz: timeZone });
  } catch (err) {
    throw new Error(
      `schedule "${text}": not a cron expression or "every N minutes|hours" / "every day HH:MM" (${(err as Error).message})`,
      { cause: err },
    );
  }
  return {
    nextAfter: (fromMs) =>
      CronExpressionParser.parse(cron, { tz: timeZone, currentDate: new Date(fromMs) }).next().getTime(),
  };
}
