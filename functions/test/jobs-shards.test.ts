// The functions across two instances (namespaces of our emulator): a trigger writes back to the
// instance of its event, and every scheduled job visits each shard of FIRELINK_DATABASE_URLS with
// the devices the directory `deviceShards` assigns to it (functions/src/fleet.ts), never writing
// a device's data on another instance.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteApp as deleteAdminApp, initializeApp as initializeAdminApp, type App } from 'firebase-admin/app';
import { getDatabaseWithUrl, type Database as AdminDatabase } from 'firebase-admin/database';
import { deleteApp, initializeApp } from 'firebase/app';
import { connectDatabaseEmulator, getDatabase, goOffline, ref, set, type Database } from 'firebase/database';
import { DEFAULT_CONFIG, minuteKey } from '@firelink/model';
import { functionsIdle, runSchedule } from '@firelink/stack';
import { NAMESPACE, PROJECT_ID, startTestEmulator, type TestEmulator } from './support/emulator.js';

const SHARD = `${PROJECT_ID}-jshard-1`;
// Read by functions/src/config.ts in the functions worker, which inherits this environment. The
// production form of the URLs: the Admin SDK sends them to the emulator host, `ns` = first label.
process.env.FIRELINK_DATABASE_URLS = `https://${NAMESPACE}.firebaseio.com,https://${SHARD}.firebaseio.com`;
// Schedules run only when a test asks (POST .../:run).
process.env.FIRELINK_SCHEDULE = '0 0 1 1 *';

let t: TestEmulator;
let adminApp: App;
let deviceApp: ReturnType<typeof initializeApp> | undefined;
let deviceDb: Database | undefined;
const db = (ns: string): AdminDatabase => getDatabaseWithUrl(`http://${t.emulator.hostPort}?ns=${ns}`, adminApp);
const val = async (ns: string, path: string): Promise<any> => (await db(ns).ref(path).get()).val();

const NOW = Date.now();
const OLD_MINUTE = Math.floor(NOW / 60_000) * 60_000 - 2 * 60_000;
const OWNER = 'jobs-owner';

/** A device's node as provisioning and a silent device leave it: stale status, a stale command, an old reading, a rollable one. */
function deviceData(id: string) {
  return {
    meta: { name: id, owner: OWNER, createdAt: 1 },
    config: DEFAULT_CONFIG,
    status: { online: true, lastSeen: NOW - 10 * 60_000, fw: '1.0.0' },
    commands: { stale: { type: 'reboot', createdAt: NOW - 10 * 60_000 } },
    readings: {
      old: { ir: 1, seq: 1, ts: NOW - 30 * 86_400_000 },
      rolled: { ir: 5, seq: 2, ts: OLD_MINUTE + 1000 },
    },
  };
}

beforeAll(async () => {
  t = await startTestEmulator({ functions: true });
  adminApp = initializeAdminApp({ projectId: PROJECT_ID, databaseURL: `http://${t.emulator.hostPort}?ns=${NAMESPACE}` }, `jobs-shards-${randomBytes(4).toString('hex')}`);
  // j-def and j-legacy (no entry: it predates the directory) live on the default instance, j-sh
  // on the shard; j-far names an instance the jobs are not configured for.
  await db(NAMESPACE).ref().update({
    [`users/${OWNER}/devices`]: { 'j-def': true, 'j-sh': true, 'j-legacy': true, 'j-far': true },
    deviceShards: { 'j-def': NAMESPACE, 'j-sh': SHARD, 'j-far': `${PROJECT_ID}-unconfigured` },
    'devices/j-def': deviceData('j-def'),
    'devices/j-legacy': deviceData('j-legacy'),
  });
  await db(SHARD).ref('devices/j-sh').set(deviceData('j-sh'));
  await functionsIdle(t.emulator);
}, 120_000);

afterAll(async () => {
  if (deviceDb) goOffline(deviceDb);
  if (deviceApp) await deleteApp(deviceApp);
  if (adminApp) await deleteAdminApp(adminApp);
  await t?.stop();
});

describe('triggers on a shard', () => {
  it("map a device's reading on its own instance, and write nothing on the default", async () => {
    deviceApp = initializeApp({ projectId: PROJECT_ID, apiKey: 'demo-key', databaseURL: `https://${SHARD}.firebaseio.com` }, `j-sh-${randomBytes(4).toString('hex')}`);
    deviceDb = getDatabase(deviceApp);
    connectDatabaseEmulator(deviceDb, t.emulator.host, t.emulator.port, { mockUserToken: { user_id: 'device-j-sh', sub: 'device-j-sh', device: 'j-sh' } });
    await set(ref(deviceDb, 'devices/j-sh/readings/live'), { ir: 4095, seq: 10 });
    await functionsIdle(t.emulator);
    expect(await val(SHARD, 'devices/j-sh/state')).toMatchObject({ readingId: 'live', seq: 10, ir: 4095 });
    expect(typeof (await val(SHARD, 'devices/j-sh/readings/live/ts'))).toBe('number');
    expect(await val(NAMESPACE, 'devices/j-sh')).toBeNull();
  });
});

describe('fleet summary across shards', () => {
  it("keeps each instance's summary of one owner's devices on that instance, none refused", async () => {
    const linesBefore = t.lines.length;
    // The same owner on both instances, readings at once: the summary writes of the two instances
    // must not share a batch (their URLs are alike against the emulator).
    for (let seq = 21; seq <= 30; seq++) {
      await Promise.all([
        db(NAMESPACE).ref(`devices/j-def/readings/s${seq}`).set({ ir: 100 + seq, seq }),
        db(SHARD).ref(`devices/j-sh/readings/s${seq}`).set({ ir: 100 + seq, seq }),
      ]);
    }
    await functionsIdle(t.emulator);
    expect(await val(NAMESPACE, `fleets/${OWNER}/j-def/state`)).toMatchObject({ seq: 30, ir: 130 });
    expect(await val(SHARD, `fleets/${OWNER}/j-sh/state`)).toMatchObject({ seq: 30, ir: 130 });
    expect(await val(NAMESPACE, `fleets/${OWNER}/j-sh`)).toBeNull();
    expect(await val(SHARD, `fleets/${OWNER}/j-def`)).toBeNull();
    expect(t.lines.slice(linesBefore).filter((line) => /fleets.*permission_denied|permission_denied.*fleets/i.test(line))).toEqual([]);
  });
});

describe('scheduled jobs over the directory', () => {
  it('presence, command expiry, rollups and retention reach every device on its own shard', async () => {
    for (const job of ['sweepPresence', 'expireCommands', 'rollupReadings', 'pruneReadings']) await runSchedule(t.emulator, job);
    for (const [ns, id] of [[NAMESPACE, 'j-def'], [NAMESPACE, 'j-legacy'], [SHARD, 'j-sh']] as const) {
      expect(await val(ns, `devices/${id}/status/online`), `${id} presence`).toBe(false);
      expect(await val(ns, `devices/${id}/commands/stale/result/status`), `${id} command`).toBe('expired');
      expect(await val(ns, `rollups/${id}/${minuteKey(OLD_MINUTE)}/count`), `${id} rollup`).toBe(1);
      expect(await val(ns, `devices/${id}/readings/old`), `${id} retention`).toBeNull();
      expect(await val(ns, `devices/${id}/readings/rolled/ir`), `${id} kept`).toBe(5);
    }
  });

  it('never writes a device on an instance it does not live on', async () => {
    expect(await val(NAMESPACE, 'devices/j-sh')).toBeNull();
    expect(await val(NAMESPACE, 'rollups/j-sh')).toBeNull();
    expect(await val(SHARD, 'devices/j-def')).toBeNull();
    expect(await val(SHARD, 'devices/j-legacy')).toBeNull();
    expect(await val(SHARD, 'rollups')).toEqual({ 'j-sh': expect.any(Object) });
    // j-far's instance is not configured here: no job touched it anywhere.
    expect(await val(NAMESPACE, 'devices/j-far')).toBeNull();
    expect(await val(SHARD, 'devices/j-far')).toBeNull();
  });
});
