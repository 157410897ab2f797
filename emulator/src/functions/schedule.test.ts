import { describe, expect, it } from 'vitest';
import { parseSchedule } from './schedule.js';

const at = (iso: string) => Date.parse(iso);

describe('parseSchedule', () => {
  it('runs "every N minutes" on an epoch-aligned grid', () => {
    const s = parseSchedule('every 5 minutes', 'UTC');
    expect(s.nextAfter(at('2026-01-01T10:02:00Z'))).toBe(at('2026-01-01T10:05:00Z'));
    expect(s.nextAfter(at('2026-01-01T10:05:00Z'))).toBe(at('2026-01-01T10:10:00Z'));
    expect(parseSchedule('every 2 hours', 'UTC').nextAfter(at('2026-01-01T10:30:00Z'))).toBe(at('2026-01-01T12:00:00Z'));
  });

  it('evaluates cron in the declared time zone', () => {
    const paris = parseSchedule('0 3 * * *', 'Europe/Paris');
    expect(paris.nextAfter(at('2026-01-01T00:00:00Z'))).toBe(at('2026-01-01T02:00:00Z'));
    expect(parseSchedule('*/15 * * * *', 'UTC').nextAfter(at('2026-01-01T10:01:00Z'))).toBe(at('2026-01-01T10:15:00Z'));
    expect(parseSchedule('every day 07:30', 'UTC').nextAfter(at('2026-01-01T08:00:00Z'))).toBe(at('2026-01-02T07:30:00Z'));
  });

  it('rejects what it cannot schedule, quoting the input', () => {
    expect(() => parseSchedule('every blue moon', 'UTC')).toThrow(/schedule "every blue moon"/);
    expect(() => parseSchedule('every 0 minutes', 'UTC')).toThrow(/at least 1/);
  });
});
