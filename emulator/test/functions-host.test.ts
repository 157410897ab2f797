// The functions host with a real worker process and the real firebase-functions wrappers,
// fed by an in-memory commit source (no database: handlers print what they saw).
import { TEST_PROJECT_ID } from './functions-env.js';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFunctionsHost, type FunctionsHost } from '../src/functions/index.js';
import { FakeDatabase, LogCapture } from './functions-helpers.js';

const fixtureDir = fileURLToPath(new URL('./fixtures/functions/log-only', import.meta.url));
const NS = `${TEST_PROJECT_ID}-default-rtdb`;

let db: FakeDatabase;
let logs: LogCapture;
let host: FunctionsHost;

beforeAll(async () => {
  db = new FakeDatabase();
  logs = new LogCapture();
  host = await startFunctionsHost({
    functionsDir: fixtureDir,
    projectId: TEST_PROJECT_ID,
    databaseHost: '127.0.0.1:9',
    authEmulatorHost: '127.0.0.1:9099',
    commits: db,
    log: logs.log,
    watch: false,
    runSchedulesOnTimer: false,
  });
});

afterAll(async () => {
  await host?.stop();
});

describe('functions host (worker + in-memory commits)', () => {
  it('reports triggers, schedules and skipped exports at start', () => {
    expect(host.triggers.map((t) => `${t.name}:${t.kind}:${t.ref}`).sort()).toEqual([
      'crash:created:crash/{id}',
      'created:created:items/{id}',
      'deep:written:tree/{rest=**}',
      'deleted:deleted:items/{id}',
      'flaky:created:flaky/{id}',
      'ordered:written:ordered/{id}',
      'regional:created:regional/{id}',
      'scoped:created:scoped/{id}',
      'stuck:created:stuck/{id}',
      'throws:created:boom/{id}',
      'updated:updated:items/{id}',
      'written:written:items/{id}',
    ]);
    expect(host.triggers.find((t) => t.name === 'stuck')?.timeoutSeconds).toBe(1);
    expect(host.triggers.find((t) => t.name === 'flaky')?.retry).toBe(true);
    expect(host.schedules.map((s) => s.name).sort()).toEqual(['envCheck', 'failingSchedule', 'slowSchedule', 'sweep']);
    expect(host.skipped).toEqual([{ name: 'hello', reason: expect.stringMatching(/HTTPS/) }]);
    const report = logs.matching(/loaded .*12 database trigger\(s\), 4 schedule\(s\), 1 skipped/);
    expect(report).toHaveLength(1);
    expect(report[0]).toMatch(/skipped {2}hello: HTTPS/);
  });

  it('fires created, updated, deleted and written once each with params and before/after', async () => {
    db.set('items/a', { n: 1, keep: true }, { identity: { kind: 'user', auth: { uid: 'u1' } } });
    db.set('items/a/n', 2);
    db.update({ 'items/a/keep': null, 'items/a/extra': 'x' });
    db.set('items/a', null);
    await host.idle();
    expect(logs.seen('created')).toEqual([
      { seen: 'created', ref: 'items/a', params: { id: 'a' }, instance: NS, authType: 'app_user', authId: 'u1', value: { n: 1, keep: true } },
    ]);
    expect(logs.seen('updated').map((s) => [s['before'], s['after']])).toEqual([
      [{ n: 1, keep: true }, { n: 2, keep: true }],
      [{ n: 2, keep: true }, { n: 2, extra: 'x' }],
    ]);
    expect(logs.seen('deleted').map((s) => [s['ref'], s['value'], s['authType']])).toEqual([['items/a', { n: 2, extra: 'x' }, 'admin']]);
    expect(logs.seen('written').map((s) => [s['before'], s['after']])).toEqual([
      [null, { n: 1, keep: true }],
      [{ n: 1, keep: true }, { n: 2, keep: true }],
      [{ n: 2, keep: true }, { n: 2, extra: 'x' }],
      [{ n: 2, extra: 'x' }, null],
    ]);
    expect(logs.matching(/functions: created created \/items\/a ok in [\d.]+ ms/)).toHaveLength(1);
  });

  it('matches {rest=**} at every changed depth and honours instance filters', async () => {
    db.set('tree/a/b', 1);
    db.set('scoped/x', 1);
    db.set('scoped/y', 1, { namespace: 'other-ns' });
    await host.idle();
    expect(logs.seen('deep').map((s) => s['params'])).toEqual(
      expect.arrayContaining([{ rest: 'a' }, { rest: 'a/b' }]),
    );
    expect(logs.seen('deep')).toHaveLength(2);
    expect(logs.seen('scoped').map((s) => [s['ref'], s['instance']])).toEqual([['scoped/y', 'other-ns']]);
  });

  it('resolves params in options from .env, in the trigger and its events, and unset params to their default', async () => {
    expect(host.triggers.find((t) => t.name === 'regional')?.region).toBe('europe-west1');
    db.set('regional/r', 1);
    await host.idle();
    expect(logs.seen('regional').map((s) => [s['location'], s['source'], s['defaulted']])).toEqual([
      ['europe-west1', `//firebasedatabase.googleapis.com/projects/_/locations/europe-west1/instances/${NS}`, 'from the default'],
    ]);
  });

  it('delivers events at one location in commit order', async () => {
    db.set('ordered/k', 1);
    db.set('ordered/k', 2);
    db.set('ordered/k', 3);
    await host.idle();
    expect(logs.seen('ordered').map((s) => s['after'])).toEqual([1, 2, 3]);
  });

  it('logs a throwing handler with its stack, does not retry it, and keeps going', async () => {
    db.set('boom/1', true);
    db.set('items/after-boom', 1);
    await host.idle();
    const failures = logs.matching(/throws created \/boom\/1 FAILED/);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatch(/not retried/);
    expect(failures[0]).toMatch(/Error: boom 1\n\s+at .*index\.js/);
    expect(logs.seen('created').some((s) => s['ref'] === 'items/after-boom')).toBe(true);
  });

  it('retries a retry:true handler with backoff until it succeeds', async () => {
    db.set('flaky/f1', true);
    await host.idle();
    expect(logs.seen('flaky').map((s) => s['attempts'])).toEqual([3]);
    expect(logs.matching(/flaky created \/flaky\/f1 FAILED .*attempt 1, retrying in \d+ ms/)).toHaveLength(1);
    expect(logs.matching(/flaky created \/flaky\/f1 ok .*\(attempt 3\)/)).toHaveLength(1);
  });

  it('times out a stuck handler per timeoutSeconds, restarts the worker and goes on', async () => {
    db.set('stuck/s1', true);
    db.set('items/after-stuck', 1);
    await host.idle();
    expect(logs.matching(/stuck created \/stuck\/s1 exceeded timeoutSeconds=1; restarting the functions worker/)).toHaveLength(1);
    expect(logs.seen('created').filter((s) => s['ref'] === 'items/after-stuck')).toHaveLength(1);
    db.set('items/after-restart', 1);
    await host.idle();
    expect(logs.seen('created').filter((s) => s['ref'] === 'items/after-restart')).toHaveLength(1);
  });

  it('survives a handler that ends the worker process, failing only that event', async () => {
    db.set('crash/c1', true);
    await host.idle();
    expect(logs.matching(/^functions: worker exited \(code 3, signal null\); it restarts/)).toHaveLength(1);
    expect(logs.matching(/crash created \/crash\/c1 FAILED .*not retried\):\nthe functions worker exited \(code 3/)).toHaveLength(1);
    db.set('items/after-crash', 1);
    await host.idle();
    expect(logs.seen('created').filter((s) => s['ref'] === 'items/after-crash')).toHaveLength(1);
  });

  it('runs schedules on demand, over HTTP too, and reports failures', async () => {
    await host.runSchedule('sweep');
    expect(logs.seen('sweep')).toHaveLength(1);
    await expect(host.runSchedule('failingSchedule')).rejects.toThrow(/schedule failed on purpose/);
    await expect(host.runSchedule('nope')).rejects.toThrow(/no scheduled function named "nope" \(known: .*sweep/);
  });

  it('gives handlers the environment of a deployed function, pointed at the local stack, plus .env', async () => {
    await host.runSchedule('envCheck');
    expect(logs.seen('envCheck')).toEqual([
      {
        seen: 'envCheck',
        greeting: 'hello from .env',
        firebaseConfig: {
          projectId: TEST_PROJECT_ID,
          databaseURL: `http://127.0.0.1:9/?ns=${NS}`,
          storageBucket: `${TEST_PROJECT_ID}.appspot.com`,
        },
        gcloudProject: TEST_PROJECT_ID,
        databaseHost: '127.0.0.1:9',
        authHost: '127.0.0.1:9099',
      },
    ]);
  });

  it('waits in idle() for a schedule run in progress', async () => {
    const run = host.runSchedule('slowSchedule');
    await host.idle();
    expect(logs.seen('slowSchedule')).toHaveLength(1);
    await run;
  });

  it('does not fire for imports with disableTriggers', async () => {
    db.set('items/imported', 1, { disableTriggers: true });
    await host.idle();
    expect(logs.seen('created').filter((s) => s['ref'] === 'items/imported')).toEqual([]);
  });
});
