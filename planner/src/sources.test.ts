// The budget constants mirror the functions' defaults and schedules; this reads the functions'
// sources (as functions/test/rules-limits.test.ts reads database.rules.json) so a change there
// without a change in model/src/budget.ts fails here.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RETENTION_BATCH_SIZE, RETENTION_MAX_AGE_MS, RETENTION_MAX_COUNT, SCHEDULED_FUNCTIONS, SCHEDULE_PERIOD_MS } from '@firelink/model';

const read = (path: string) => readFileSync(new URL(`../../functions/src/${path}`, import.meta.url), 'utf8');

describe('model/src/budget.ts mirrors functions/', () => {
  const config = read('config.ts');
  const defaults = config.slice(config.indexOf('const DEFAULTS'), config.indexOf('};', config.indexOf('const DEFAULTS')));

  it.each([
    ['retentionBatchSize', RETENTION_BATCH_SIZE],
    ['retentionMaxCount', RETENTION_MAX_COUNT],
  ])('%s default is %d', (name, value) => {
    const match = new RegExp(`${name}: ([\\d_]+),`).exec(defaults);
    expect(match, `${name} not found in functions/src/config.ts DEFAULTS`).not.toBeNull();
    expect(Number(match![1]!.replaceAll('_', ''))).toBe(value);
  });

  it('retention age and schedule defaults', () => {
    expect(defaults).toContain('retentionMaxAgeMs: 7 * 24 * 60 * 60 * 1000,');
    expect(RETENTION_MAX_AGE_MS).toBe(7 * 24 * 60 * 60 * 1000);
    expect(defaults).toContain("schedule: 'every 1 minutes',");
    expect(SCHEDULE_PERIOD_MS).toBe(60_000);
  });

  it('counts the scheduled functions', () => {
    const schedules = read('triggers/schedules.ts');
    expect((schedules.match(/= onSchedule\(/g) ?? []).length).toBe(SCHEDULED_FUNCTIONS);
  });
});
