import { describe, expect, it } from 'vitest';
import { discover } from './discovery.js';

// Endpoints as firebase-functions 7 builds them (captured from the fixture package).
const dbEndpoint = (eventType: string, patterns: Record<string, string>, extra: Record<string, unknown> = {}) => ({
  platform: 'gcfv2',
  timeoutSeconds: null,
  labels: {},
  eventTrigger: {
    eventType: `google.firebase.database.ref.v1.${eventType}`,
    eventFilters: extra['instance'] ? { instance: extra['instance'] } : {},
    eventFilterPathPatterns: patterns,
    retry: extra['retry'] ?? false,
  },
  ...(extra['timeoutSeconds'] ? { timeoutSeconds: extra['timeoutSeconds'] } : {}),
  ...(extra['region'] ? { region: extra['region'] } : {}),
});

describe('discover', () => {
  it('reads database triggers with pattern, instance, retry, timeout and region', () => {
    const d = discover([
      { name: 'created', endpoint: dbEndpoint('created', { ref: 'items/{id}', instance: '*' }) },
      {
        name: 'scoped',
        endpoint: dbEndpoint('written', { ref: 'scoped/{id}' }, {
          instance: 'other-ns',
          retry: true,
          timeoutSeconds: 5,
          region: ['europe-west1'],
        }),
      },
    ]);
    expect(d.triggers.map((t) => t.info)).toEqual([
      { name: 'created', kind: 'created', ref: 'items/{id}', instance: '*', region: 'us-central1', retry: false, timeoutSeconds: 60 },
      { name: 'scoped', kind: 'written', ref: 'scoped/{id}', instance: 'other-ns', region: 'europe-west1', retry: true, timeoutSeconds: 5 },
    ]);
    expect(d.skipped).toEqual([]);
  });

  it('reads schedules with their time zone', () => {
    const d = discover([
      { name: 'sweep', endpoint: { scheduleTrigger: { schedule: 'every 5 minutes', timeZone: null } } },
      { name: 'nightly', endpoint: { scheduleTrigger: { schedule: '0 3 * * *', timeZone: 'Europe/Paris' }, timeoutSeconds: 30 } },
    ]);
    expect(d.schedules.map((s) => [s.info.name, s.info.timeZone, s.info.timeoutSeconds])).toEqual([
      ['sweep', 'UTC', 60],
      ['nightly', 'Europe/Paris', 30],
    ]);
  });

  it('skips other exports and says why', () => {
    const d = discover([
      { name: 'hello', endpoint: { httpsTrigger: {} } },
      { name: 'callMe', endpoint: { callableTrigger: {} } },
      { name: 'onDoc', endpoint: { eventTrigger: { eventType: 'google.cloud.firestore.document.v1.written' } } },
      { name: 'v1', endpoint: { eventTrigger: { eventType: 'providers/google.firebase.database/eventTypes/ref.write' } } },
      { name: 'badCron', endpoint: { scheduleTrigger: { schedule: 'whenever' } } },
      { name: 'badRef', endpoint: dbEndpoint('created', { ref: 'a/{b' }) },
    ]);
    expect(d.triggers).toEqual([]);
    expect(Object.fromEntries(d.skipped.map((s) => [s.name, s.reason]))).toEqual({
      hello: expect.stringMatching(/HTTPS.*firebase-tools Functions emulator/),
      callMe: expect.stringMatching(/callable/),
      onDoc: expect.stringMatching(/not a Realtime Database event/),
      v1: expect.stringMatching(/v1 database trigger/),
      badCron: expect.stringMatching(/schedule "whenever"/),
      badRef: expect.stringMatching(/path pattern "a\/\{b"/),
    });
  });
});
