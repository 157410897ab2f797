// The whole loop across four database instances (issue 17; docs/scaling.md): startStack({ shards: 4 })
// serves them as namespaces of one emulator, the demo fleet is provisioned across them, every
// reading is mapped on its own shard, the scheduled jobs reach every shard, an owner reads each
// device on its shard through the rules, and a moved device keeps its history and its next readings.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDatabase as getAdminDatabase, getDatabaseWithUrl, type Database as AdminDatabase } from 'firebase-admin/database';
import { deleteApp, initializeApp, type FirebaseApp } from 'firebase/app';
import { connectAuthEmulator, getAuth, signInWithEmailAndPassword } from 'firebase/auth';
import { connectDatabaseEmulator, get, getDatabase, goOffline, ref, type Database } from 'firebase/database';
import { minuteKey } from '@firelink/model';
import { openProvisioner } from '@firelink/provisioning';
import { eventually, runSchedule, stackConfig, startStack, type Stack } from '../src/index.js';

// Schedules run only when the test asks (POST .../:run), never on the clock; the functions host
// (a child process) inherits this environment.
process.env.FIRELINK_SCHEDULE = '0 0 1 1 *';

const run = promisify(execFile);
const SHARDS = 4;
const FLEET = 8;
const dataDir = mkdtempSync(join(tmpdir(), 'stack-shards-'));
const NOW = Date.now();
const OLD_MINUTE = Math.floor(NOW / 60_000) * 60_000 - 3 * 60_000;

describe(`the stack on ${SHARDS} namespaces`, () => {
  let stack: Stack;
  // The URLs the stack's own provisioning uses on this app: one handle per instance and URL form.
  const admin = (instance: string): AdminDatabase =>
    instance === stack.namespace ? getAdminDatabase(stack.adminApp()) : getDatabaseWithUrl(stack.shardUrl(instance), stack.adminApp());
  const val = async (instance: string, path: string): Promise<any> => (await admin(instance).ref(path).get()).val();
  /** Where the directory puts each fleet device. */
  const placement = new Map<string, string>();

  beforeAll(async () => {
    stack = await startStack({ ports: 'free', processes: 'child', functions: true, demoOwner: true, fleet: { count: FLEET, rate: 1 }, shards: SHARDS, dataDir });
    for (const id of stack.fleetDeviceIds) placement.set(id, (await val(stack.namespace, `deviceShards/${id}`)) as string);
  });

  afterAll(async () => {
    await stack?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('names the instances and spreads the demo fleet evenly across them', () => {
    expect(stack.shards).toEqual([`${stack.projectId}-default-rtdb`, `${stack.projectId}-shard-1`, `${stack.projectId}-shard-2`, `${stack.projectId}-shard-3`]);
    expect(stack.fleetDeviceIds).toHaveLength(FLEET);
    const perShard = stack.shards.map((s) => [...placement.values()].filter((p) => p === s).length);
    expect(perShard).toEqual([2, 2, 2, 2]);
    expect(stack.services().filter((s) => s.name === 'fleet' && s.running)).toHaveLength(SHARDS);
  });

  it('maps every reading by a function on its own shard, and writes no device on another', async () => {
    // Every device has readings and a state on its shard.
    await eventually('each fleet device has a mapped reading on its shard', async () => {
      for (const [id, shard] of placement) {
        const state = (await val(shard, `devices/${id}/state`)) as { readingId?: string } | null;
        if (state?.readingId === undefined) return false;
      }
      return true;
    }, { timeoutMs: 60_000 });
    for (const shard of stack.shards) {
      const devices = Object.keys(((await admin(shard).ref('devices').get()).val() as object | null) ?? {}).sort();
      const expected = [...placement].filter(([, s]) => s === shard).map(([id]) => id).sort();
      expect(devices, `devices on ${shard}`).toEqual(expected);
      expect(await val(shard, 'users'), `no ownership index on ${shard}`).toEqual(shard === stack.namespace ? expect.any(Object) : null);
    }
  });

  it('reaches every shard with rollups, retention, presence and command expiry', async () => {
    await stack.stopFleet();
    // Each device, on its shard: a silent heartbeat, an unacknowledged old command, a reading
    // past the age limit and one in a completed minute.
    for (const [id, shard] of placement) {
      await admin(shard).ref().update({
        [`devices/${id}/status`]: { online: true, lastSeen: NOW - 30 * 60_000, fw: 'test' },
        [`devices/${id}/commands/stale`]: { type: 'reboot', createdAt: NOW - 30 * 60_000 },
        [`devices/${id}/readings/ancient`]: { ir: 1, seq: 1, ts: NOW - 60 * 86_400_000 },
        [`devices/${id}/readings/rollme`]: { ir: 3, seq: 2, ts: OLD_MINUTE + 500 },
      });
    }
    await stack.functionsIdle();
    for (const job of ['sweepPresence', 'expireCommands', 'rollupReadings', 'pruneReadings']) await runSchedule(stack, job);
    for (const [id, shard] of placement) {
      expect(await val(shard, `devices/${id}/status/online`), `${id} presence`).toBe(false);
      expect(await val(shard, `devices/${id}/commands/stale/result/status`), `${id} command`).toBe('expired');
      expect(await val(shard, `rollups/${id}/${minuteKey(OLD_MINUTE)}/count`), `${id} rollup`).toBe(1);
      expect(await val(shard, `devices/${id}/readings/ancient`), `${id} retention`).toBeNull();
      for (const other of stack.shards.filter((s) => s !== shard)) {
        expect(await val(other, `devices/${id}`), `${id} on ${other}`).toBeNull();
        expect(await val(other, `rollups/${id}`), `${id} rollups on ${other}`).toBeNull();
      }
    }
  });

  it('lets the owner read each device on its shard through the rules, and nothing of a stranger', async () => {
    const owner = stack.demoOwner!;
    const apps: FirebaseApp[] = [];
    const dbs: Database[] = [];
    const [host, port] = stack.hosts.database.split(':') as [string, string];
    const dbOf = async (instance: string, who: { email: string; password: string }): Promise<Database> => {
      const app = initializeApp({ projectId: stack.projectId, apiKey: 'demo-key', databaseURL: `https://${instance}.firebaseio.com` }, `owner-${instance}-${apps.length}`);
      apps.push(app);
      const auth = getAuth(app);
      connectAuthEmulator(auth, stack.urls.auth, { disableWarnings: true });
      await signInWithEmailAndPassword(auth, who.email, who.password);
      const db = getDatabase(app);
      connectDatabaseEmulator(db, host, Number(port));
      dbs.push(db);
      return db;
    };
    try {
      const directory = await dbOf(stack.namespace, owner);
      const perShard = new Map<string, Database>();
      for (const shard of stack.shards) perShard.set(shard, shard === stack.namespace ? directory : await dbOf(shard, owner));
      const owned = Object.keys((await get(ref(directory, `users/${owner.uid}/devices`))).val() as object);
      expect(owned.sort()).toEqual([...stack.fleetDeviceIds]);
      for (const id of owned) {
        const shard = (await get(ref(directory, `deviceShards/${id}`))).val() as string;
        expect(shard).toBe(placement.get(id));
        const meta = (await get(ref(perShard.get(shard)!, `devices/${id}/meta`))).val() as { owner: string };
        expect(meta.owner).toBe(owner.uid);
      }
      // A signed-in stranger reads neither the directory entries nor the devices.
      const stranger = await stack.createOwner({ email: 'stranger@example.test', password: 'stranger-1' });
      const strangerDb = await dbOf(stack.shards[1]!, { email: 'stranger@example.test', password: 'stranger-1' });
      const [someId, someShard] = [...placement].find(([, s]) => s === stack.shards[1])!;
      expect(someShard).toBe(stack.shards[1]);
      await expect(get(ref(strangerDb, `devices/${someId}`))).rejects.toThrow(/permission/i);
      expect(stranger.uid).not.toBe(owner.uid);
    } finally {
      for (const db of dbs) goOffline(db);
      await Promise.all(apps.map((app) => deleteApp(app)));
    }
  });

  it('moves a device: its history comes along and its next readings land and are mapped on the new shard', async () => {
    // device-sim follows `reconnect` only with the devices branch (docs/scaling.md); here the
    // fleet is stopped (the device is offline, so the move does not wait), then the device runs
    // again as device-sim `run` on its new shard.
    const [id, from] = [...placement][0]!;
    const to = stack.shards.find((s) => s !== from)!;
    const history = Object.keys(((await val(from, `devices/${id}/readings`)) as object | null) ?? {}).sort();
    expect(history.length).toBeGreaterThan(0);
    const provisioner = openProvisioner(
      { kind: 'emulators', projectId: stack.projectId, authEmulatorHost: stack.hosts.auth, databaseEmulatorHost: stack.hosts.database, namespace: stack.namespace },
      { shards: stack.shards.map((instance) => ({ instance })) },
    );
    try {
      const report = await provisioner.move({ deviceId: id, to, waitMs: 5_000 });
      expect(report).toMatchObject({ status: 'moved', from, to, copied: { readings: history.length } });
    } finally {
      await provisioner.close();
    }
    expect(await val(stack.namespace, `deviceShards/${id}`)).toBe(to);
    expect(await val(from, `devices/${id}`)).toBeNull();
    expect(await val(from, `rollups/${id}`)).toBeNull();
    expect(Object.keys((await val(to, `devices/${id}/readings`)) as object).sort()).toEqual(history);
    expect(await val(to, `rollups/${id}/${minuteKey(OLD_MINUTE)}/count`)).toBe(1);

    const password = 'moved-pass-1';
    await stack.provisionDevice({ deviceId: id, owner: stack.demoOwner!.uid, password, rotate: true });
    await run(
      process.execPath,
      [join(stackConfig().root, 'device-sim', 'dist', 'cli.js'), 'run', '--device', id, '--email', `${id}@devices.firelink.local`, '--password', password,
        '--namespace', to, '--duration-ms', '4000', '--drain-ms', '5000', '--sample-ms', '500', '--view', 'none'],
      { env: { ...process.env, FIREBASE_DATABASE_EMULATOR_HOST: stack.hosts.database, FIREBASE_AUTH_EMULATOR_HOST: stack.hosts.auth, GCLOUD_PROJECT: stack.projectId }, cwd: dataDir },
    );
    await stack.functionsIdle();
    const readings = (await val(to, `devices/${id}/readings`)) as Record<string, { ts?: number }>;
    const fresh = Object.keys(readings).filter((key) => !history.includes(key));
    expect(fresh.length).toBeGreaterThan(0);
    for (const key of fresh) expect(typeof readings[key]!.ts, `new reading ${key} mapped`).toBe('number');
    expect(fresh).toContain((await val(to, `devices/${id}/state/readingId`)) as string);
    expect(await val(from, `devices/${id}`)).toBeNull();
    // The owner's fleet summary entry moved too, and the new shard's functions keep it.
    const owner = stack.demoOwner!.uid;
    expect(await val(from, `fleets/${owner}/${id}`)).toBeNull();
    const state = (await val(to, `devices/${id}/state`)) as { seq: number };
    expect(await val(to, `fleets/${owner}/${id}/state/seq`)).toBe(state.seq);
  });

  it('keeps every namespace through a restart of the durable database', async () => {
    const before = await Promise.all(stack.shards.map((s) => val(s, 'devices')));
    await stack.restartDatabase();
    const after = await Promise.all(stack.shards.map((s) => val(s, 'devices')));
    expect(after).toEqual(before);
    expect(after.every((devices) => devices !== null)).toBe(true);
  });

  it('refuses a shard count outside 1..16 before starting anything', async () => {
    const hostBefore = process.env.FIREBASE_DATABASE_EMULATOR_HOST;
    await expect(startStack({ ports: 'free', shards: 0, auth: false, functions: false })).rejects.toThrow(/startStack: shards must be a whole number from 1 to 16/);
    expect(process.env.FIREBASE_DATABASE_EMULATOR_HOST).toBe(hostBefore);
  });
});
