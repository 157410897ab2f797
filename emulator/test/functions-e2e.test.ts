// The functions host end to end: startEmulator({ functions }) runs the fixture package in a
// worker; real SDK clients write over WebSocket, handlers write back with firebase-admin,
// and the tests read the database. Waiting is by POST /.functions/idle or bounded polling.
import { TEST_PROJECT_ID } from './functions-env.js';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../src/index.js';
import { functionsStatusRemote, runScheduleRemote, waitFunctionsIdleRemote } from '../src/functions/index.js';
import { LogCapture } from './functions-helpers.js';

type AdminDb = import('firebase-admin/database').Database;
type ClientDb = import('firebase/database').Database;

const fixtureDir = fileURLToPath(new URL('./fixtures/functions', import.meta.url));
const NS = `${TEST_PROJECT_ID}-default-rtdb`;

let emulator: RunningEmulator;
const logs = new LogCapture();
let admin: AdminDb;
let otherNs: AdminDb;
let user: ClientDb;
const closers: Array<() => Promise<void>> = [];

beforeAll(async () => {
  // maxCascadeDepth and runSchedulesOnTimer are EmulatorOptions passed on to the functions host.
  emulator = await startEmulator({ port: 0, projectId: TEST_PROJECT_ID, functions: fixtureDir, maxCascadeDepth: 10, runSchedulesOnTimer: false, log: logs.log });
  // The SDKs read the emulator host when a database is first created.
  process.env['FIREBASE_DATABASE_EMULATOR_HOST'] = emulator.hostPort;
  const adminApp = await import('firebase-admin/app');
  const adminDb = await import('firebase-admin/database');
  const tag = randomBytes(4).toString('hex');
  const app = adminApp.initializeApp({ projectId: TEST_PROJECT_ID, databaseURL: `http://${emulator.hostPort}?ns=${NS}` }, `admin-${tag}`);
  const other = adminApp.initializeApp({ projectId: TEST_PROJECT_ID, databaseURL: `http://${emulator.hostPort}?ns=other-ns` }, `other-${tag}`);
  admin = adminDb.getDatabase(app);
  otherNs = adminDb.getDatabase(other);
  closers.push(() => adminApp.deleteApp(app), () => adminApp.deleteApp(other));

  const clientApp = await import('firebase/app');
  const clientDb = await import('firebase/database');
  const capp = clientApp.initializeApp({ projectId: TEST_PROJECT_ID, apiKey: 'demo-key', databaseURL: `https://${NS}.firebaseio.com` }, `user-${tag}`);
  user = clientDb.getDatabase(capp);
  const [host, port] = emulator.hostPort.split(':') as [string, string];
  clientDb.connectDatabaseEmulator(user, host, Number(port), { mockUserToken: { sub: 'u1', user_id: 'u1' } });
  closers.push(async () => {
    clientDb.goOffline(user);
    await clientApp.deleteApp(capp);
  });
});

afterAll(async () => {
  for (const close of closers) await close();
  await emulator?.stop();
});

const idle = () => waitFunctionsIdleRemote(emulator.url, 25_000);
const read = async (path: string, db: AdminDb = admin): Promise<unknown> => (await db.ref(path).get()).val();
const logKey = (ref: string) => ref.replaceAll('/', '|');

describe('functions host end to end', () => {
  it('reports what it found at start', async () => {
    const status = (await functionsStatusRemote(emulator.url)) as { triggers: Array<{ name: string }>; schedules: unknown[]; skipped: Array<{ name: string }> };
    expect(status.triggers.map((t) => t.name)).toEqual(expect.arrayContaining(['created', 'deep', 'scoped', 'runaway', 'group-nested']));
    expect(status.skipped.map((s) => s.name).sort()).toEqual(['callMe', 'hello']);
    expect(logs.matching(/skipped {2}hello: HTTPS \(onRequest\) function/)).toHaveLength(1);
  });

  it('fires every event kind once per write, with params, before/after and the writer\'s auth', async () => {
    const { ref, set, update, remove } = await import('firebase/database');
    await set(ref(user, 'items/a'), { n: 1, keep: true });
    await idle();
    await update(ref(user, 'items/a'), { n: 2, keep: null });
    await idle();
    await remove(ref(user, 'items/a'));
    await idle();
    const key = logKey('items/a');
    expect(await read(`log/created/${key}`)).toEqual({
      value: { n: 1, keep: true },
      ref: 'items/a',
      params: { id: 'a' },
      type: 'google.firebase.database.ref.v1.created',
      instance: NS,
      authType: 'app_user',
      authId: 'u1',
      count: 1,
    });
    expect(await read(`log/updated/${key}`)).toMatchObject({ before: { n: 1, keep: true }, after: { n: 2 }, count: 1 });
    expect(await read(`log/deleted/${key}`)).toMatchObject({ value: { n: 2 }, count: 1 });
    // written fired for the create, the update and the delete: three deliveries, the last one a delete.
    expect(await read(`log/written/${key}`)).toMatchObject({ before: { n: 2 }, count: 3 });
    expect(await read(`log/written/${key}/after`)).toBeNull();
  });

  it('matches {rest=**}, nested export groups and instance filters', async () => {
    await admin.ref('tree/x/y').set(1);
    await admin.ref('grouped/g1').set('hi');
    await admin.ref('scoped/s1').set(1); // default namespace: the filter says other-ns
    await otherNs.ref('scoped/s2').set(1);
    await idle();
    expect(await read(`log/deep/${logKey('tree/x')}/params`)).toEqual({ rest: 'x' });
    expect(await read(`log/deep/${logKey('tree/x/y')}/params`)).toEqual({ rest: 'x/y' });
    expect(await read(`log/group-nested/${logKey('grouped/g1')}/value`)).toBe('hi');
    expect(await read('log/scoped')).toBeNull();
    expect(await read(`log/scoped/${logKey('scoped/s2')}`, otherNs)).toMatchObject({ instance: 'other-ns', count: 1 });
  });

  it('runs cascades: a function\'s write fires the next function', async () => {
    await admin.ref('cascade/start/c1').set(true);
    await idle();
    expect(await read('cascade/middle/c1')).toEqual({ from: 'start' });
    expect(await read('cascade/end/c1')).toEqual({ from: 'middle' });
  });

  it('logs a throwing handler and keeps delivering later events', async () => {
    await admin.ref('boom/b1').set(true);
    await admin.ref('items/after-boom').set(1);
    await idle();
    expect(logs.matching(/throws created \/boom\/b1 FAILED .*not retried\):\nError: boom b1/)).toHaveLength(1);
    expect(await read(`log/created/${logKey('items/after-boom')}/count`)).toBe(1);
  });

  it('retries a retry:true function until it succeeds', async () => {
    await admin.ref('flaky/f1').set(true);
    await idle();
    expect(await read('attempts/f1')).toBe(2);
    expect(await read(`log/flaky/${logKey('flaky/f1')}`)).toMatchObject({ attempts: 2, count: 1 });
  });

  it('times out a stuck handler per its timeoutSeconds and keeps serving', async () => {
    await admin.ref('stuck/s1').set(true);
    await idle();
    expect(logs.matching(/stuck created \/stuck\/s1 exceeded timeoutSeconds=1/)).toHaveLength(1);
    await admin.ref('items/after-stuck').set(1);
    await idle();
    expect(await read(`log/created/${logKey('items/after-stuck')}/count`)).toBe(1);
  });

  it('stops a runaway cascade and says so', async () => {
    await admin.ref('runaway/counter').set(0);
    await idle();
    expect(logs.matching(/RUNAWAY CASCADE stopped: runaway at \/runaway\/counter/)).toHaveLength(1);
    // maxCascadeDepth 10 (the default is 64): the outside write plus 9 function writes ran the trigger 10 times.
    expect(await read('runaway/counter')).toBe(10);
  });

  it('runs a schedule on demand through the endpoint', async () => {
    await runScheduleRemote(emulator.url, 'sweep');
    expect(await read('sched/sweep/runs')).toBe(1);
    await runScheduleRemote(emulator.url, 'sweep');
    const sweep = (await read('sched/sweep')) as { runs: number; scheduleTime: string };
    expect(sweep.runs).toBe(2);
    expect(Number.isNaN(Date.parse(sweep.scheduleTime))).toBe(false);
  });

  it('does not fire for imports (disableTriggers), but does for REST writes', async () => {
    emulator.importData({ items: { imported: 1 } }, 'import-ns');
    const res = await fetch(`${emulator.url}/items/control.json?ns=import-ns`, {
      method: 'PUT',
      headers: { authorization: 'Bearer owner' },
      body: '1',
    });
    expect(res.status).toBe(200);
    await idle();
    expect(logs.matching(/created created \/items\/control ok/)).toHaveLength(1);
    expect(logs.matching(/\/items\/imported/)).toEqual([]);
  });
});
