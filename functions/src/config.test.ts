import { describe, expect, it } from 'vitest';
import { ConfigError, INT_SETTINGS, loadConfig, params, STRING_SETTINGS } from './config.js';

/** The wire form firebase-tools reads from the manifest (`Param.toSpec`, internal in the SDK's types). */
interface WireSpec {
  name: string;
  type: string;
  default?: unknown;
  description?: string;
  input?: unknown;
}
const specOf = (param: unknown): WireSpec => (param as { toSpec(): WireSpec }).toSpec();

describe('loadConfig', () => {
  it('has the params’ defaults and a frozen result', () => {
    const c = loadConfig({});
    expect(c.region).toBe('us-central1');
    expect(c.zoneMinDevices).toBe(2);
    expect(c.presenceMissedHeartbeats).toBe(3);
    expect(c.databaseUrls).toEqual([]);
    expect(c.logMappedReadings).toBe(false);
    expect(c.jobConcurrency).toBe(16);
    expect(c.jobSpreadSeconds).toBe(0);
    expect(Object.isFrozen(c)).toBe(true);
  });
  it('reads overrides from the variables the params name', () => {
    const c = loadConfig({ FIRELINK_REGION: 'europe-west1', FIRELINK_RETENTION_MAX_COUNT: '5', FIRELINK_SCHEDULE: 'every 5 minutes' });
    expect(c).toMatchObject({ region: 'europe-west1', retentionMaxCount: 5, schedule: 'every 5 minutes' });
  });
  it('rejects what IntParam.value() would silently coerce, naming the variable, the rule and the fix', () => {
    expect(() => loadConfig({ FIRELINK_RETENTION_MAX_COUNT: '0' })).toThrow(ConfigError);
    expect(() => loadConfig({ FIRELINK_RETENTION_MAX_COUNT: '1.5' })).toThrow(
      /FIRELINK_RETENTION_MAX_COUNT: must be an integer between 1 and 10000000 \(got "1.5"\); fix it in functions\/\.env/,
    );
    expect(() => loadConfig({ FIRELINK_ZONE_IR_THRESHOLD: 'abc' })).toThrow(/FIRELINK_ZONE_IR_THRESHOLD/);
    expect(() => loadConfig({ FIRELINK_REGION: 'Mars' })).toThrow(/FIRELINK_REGION: must be a Cloud Functions region/);
    expect(() => loadConfig({ FIRELINK_JOB_CONCURRENCY: '0' })).toThrow(/FIRELINK_JOB_CONCURRENCY: must be an integer between 1 and 100/);
  });
});

describe('FIRELINK_JOB_SPREAD_SECONDS', () => {
  it('is 0..50: a paced run ends before the next tick (schedules tick at most once a minute)', () => {
    expect(loadConfig({ FIRELINK_JOB_SPREAD_SECONDS: '0' }).jobSpreadSeconds).toBe(0);
    expect(loadConfig({ FIRELINK_JOB_SPREAD_SECONDS: '50' }).jobSpreadSeconds).toBe(50);
    expect(() => loadConfig({ FIRELINK_JOB_SPREAD_SECONDS: '51' })).toThrow(/FIRELINK_JOB_SPREAD_SECONDS: must be an integer between 0 and 50/);
    expect(() => loadConfig({ FIRELINK_JOB_SPREAD_SECONDS: '60' })).toThrow(ConfigError);
    expect(() => loadConfig({ FIRELINK_JOB_SPREAD_SECONDS: '-1' })).toThrow(ConfigError);
    expect(() => loadConfig({ FIRELINK_JOB_SPREAD_SECONDS: '2.5' })).toThrow(ConfigError);
  });
});

describe('FIRELINK_DATABASE_URLS', () => {
  it('lists the shards the scheduled jobs visit', () => {
    expect(
      loadConfig({ FIRELINK_DATABASE_URLS: 'https://a-1.firebaseio.com, https://b-2.europe-west1.firebasedatabase.app' }).databaseUrls,
    ).toEqual(['https://a-1.firebaseio.com', 'https://b-2.europe-west1.firebasedatabase.app']);
  });
  it('rejects an entry that is not a database URL', () => {
    expect(() => loadConfig({ FIRELINK_DATABASE_URLS: 'http://evil.example.com' })).toThrow(/FIRELINK_DATABASE_URLS: must be empty/);
  });
});

describe('FIRELINK_LOG_MAPPED_READINGS', () => {
  it('turns the per-reading line on with true, off with false or unset', () => {
    expect(loadConfig({ FIRELINK_LOG_MAPPED_READINGS: 'true' }).logMappedReadings).toBe(true);
    expect(loadConfig({ FIRELINK_LOG_MAPPED_READINGS: 'false' }).logMappedReadings).toBe(false);
    expect(loadConfig({ FIRELINK_LOG_MAPPED_READINGS: '' }).logMappedReadings).toBe(false);
  });
  it('refuses anything but true or false, naming the variable', () => {
    expect(() => loadConfig({ FIRELINK_LOG_MAPPED_READINGS: 'yes' })).toThrow(ConfigError);
    expect(() => loadConfig({ FIRELINK_LOG_MAPPED_READINGS: 'yes' })).toThrow(
      /FIRELINK_LOG_MAPPED_READINGS: must be true or false \(got "yes"\)/,
    );
    expect(() => loadConfig({ FIRELINK_LOG_MAPPED_READINGS: 'TRUE' })).toThrow(/FIRELINK_LOG_MAPPED_READINGS/);
  });
});

describe('params', () => {
  it('declares every setting as a firebase-functions param with its name, default and description', () => {
    const all = { ...INT_SETTINGS, ...STRING_SETTINGS };
    expect(Object.keys(params).sort()).toEqual(Object.keys(all).sort());
    for (const [key, spec] of Object.entries(all)) {
      const param = params[key as keyof typeof params];
      const wire = specOf(param);
      expect(wire.name).toBe(spec.name);
      expect(wire.default).toBe(spec.default);
      expect(wire.description).toMatch(/\w/);
      expect(wire.type).toBe(typeof spec.default === 'number' ? 'int' : 'string');
    }
  });
  it('gives every string param the validation the loader applies, so deploy prompts refuse the same values', () => {
    for (const [key, spec] of Object.entries(STRING_SETTINGS)) {
      const input = specOf(params[key as keyof typeof STRING_SETTINGS]).input as { text: { validationRegex: string | RegExp } };
      const source = input.text.validationRegex;
      const re = new RegExp(typeof source === 'string' ? source : source.source);
      expect(re.test(spec.default)).toBe(true);
      expect(re.test(spec.example)).toBe(true);
      expect(re.test('not valid!')).toBe(false);
    }
  });
});
