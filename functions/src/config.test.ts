import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('has defaults and a frozen result', () => {
    const c = loadConfig({});
    expect(c.region).toBe('us-central1');
    expect(c.zoneMinDevices).toBe(2);
    expect(c.presenceMissedHeartbeats).toBe(3);
    expect(Object.isFrozen(c)).toBe(true);
  });
  it('reads overrides from the environment', () => {
    const c = loadConfig({ FIRELINK_REGION: 'europe-west1', FIRELINK_RETENTION_MAX_COUNT: '5', FIRELINK_SCHEDULE: 'every 5 minutes' });
    expect(c).toMatchObject({ region: 'europe-west1', retentionMaxCount: 5, schedule: 'every 5 minutes' });
  });
  it('rejects bad values naming the variable and the rule', () => {
    expect(() => loadConfig({ FIRELINK_RETENTION_MAX_COUNT: '0' })).toThrow(ConfigError);
    expect(() => loadConfig({ FIRELINK_RETENTION_MAX_COUNT: '1.5' })).toThrow(/FIRELINK_RETENTION_MAX_COUNT: must be an integer between 1 and/);
    expect(() => loadConfig({ FIRELINK_REGION: 'Mars' })).toThrow(/FIRELINK_REGION/);
  });
});

describe('FIRELINK_DATABASE_URLS', () => {
  it('lists the shards the scheduled jobs visit', () => {
    expect(loadConfig({}).databaseUrls).toEqual([]);
    expect(
      loadConfig({ FIRELINK_DATABASE_URLS: 'https://a-1.firebaseio.com, https://b-2.europe-west1.firebasedatabase.app' }).databaseUrls,
    ).toEqual(['https://a-1.firebaseio.com', 'https://b-2.europe-west1.firebasedatabase.app']);
  });
  it('rejects an entry that is not a database URL', () => {
    expect(() => loadConfig({ FIRELINK_DATABASE_URLS: 'http://evil.example.com' })).toThrow(/FIRELINK_DATABASE_URLS: each entry/);
  });
});
