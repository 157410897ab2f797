// The budget constants mirror the functions' defaults and schedules; this reads the functions'
// sources (as functions/test/rules-limits.test.ts reads database.rules.json) so a change there
// without a change in model/src/budget.ts fails here.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RETENTION_BATCH_SIZE, RETENTION_MAX_AGE_MS, RETENTION_MAX_COUNT, SCHEDULED_FUNCTIONS, SCHEDULE_PERIOD_MS } from '@firelink/model';

const read = (path: string) => readFileSync(new URL(`../../functions/src/${path}`, import.meta.url), 'utf8');

describe('model/src/budget.ts mirrors functions/', () => {
  const config = read('config.ts');
  /** The text of one setting's spec in INT_SETTINGS / STRING_SETTINGS (functions/src/config.ts). */
  const spec = (name: string): string => {
    const start = config.indexOf(`  ${name}: {`);
    expect(start, `${name} not found in functions/src/config.ts`).toBeGreaterThan(-1);
    return config.slice(start, config.indexOf('},', start));
  };

  it.each([
    ['retentionBatchSize', RETENTION_BATCH_SIZE],
    ['retentionMaxCount', RETENTION_MAX_COUNT],
  ])('%s default is %d', (name, value) => {
    const match = /default: ([\d_]+),/.exec(spec(name));
    expect(match, `${name} has no numeric default in functions/src/config.ts`).not.toBeNull();
    expect(Number(match![1]!.replaceAll('_', ''))).toBe(value);
  });

  it('retention age and schedule defaults', () => {
    expect(config).toContain('const DAY_MS = 24 * 60 * 60 * 1000;');
    expect(spec('retentionMaxAgeMs')).toContain('default: 7 * DAY_MS,');
    expect(RETENTION_MAX_AGE_MS).toBe(7 * 24 * 60 * 60 * 1000);
    expect(spec('schedule')).toContain("default: 'every 1 minutes',");
    expect(SCHEDULE_PERIOD_MS).toBe(60_000);
  });

  it('counts the scheduled functions', () => {
    const schedules = read('triggers/schedules.ts');
    expect((schedules.match(/= onSchedule\(/g) ?? []).length).toBe(SCHEDULED_FUNCTIONS);
  });
});
