// The whole loop across four database instances (issue 17; docs/scaling.md): startStack({ shards: 4 })
// serves them as namespaces of one emulator, the demo fleet (one device-sim process) is provisioned
// across them, every reading is mapped on its own shard, a device moved by `firelink-provision move`
// while it runs keeps its history and its next readings, the scheduled jobs reach every shard, and
// an owner reads each device on its shard through the rules.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDatabase as getAdminDatabase, getDatabaseWithUrl, type Database as AdminDatabase } from 'firebase-admin/database';
import { deleteApp, initializeApp, type FirebaseApp } from 'firebase/app';
import { connectAuthEmulator, getAuth, signInWithEmailAndPassword } from 'firebase/auth';
import { connectDatabaseEmulator, get, getDatabase, goOffline, ref, type Database } from 'firebase/database';
import { minuteKey } from '@firelink/model';
import { eventually, runSchedule, stackConfig, startStack, type Stack } from '../src/index.js';

// Schedules run only when the test asks (POST .../:run), never on the clock; the functions host
// (a child process) inherits this environment.
process.env.FIRELINK_SCHEDULE = '0 0 1 1 *';

const run = promisify(execFile);
const SHARDS = 4;
const FLEET = 8;
const dataDir = mkdtempSync(join(tmpdir(), 'stack-shards-'));
const FLEET_REPORT = join(dataDir, 'fleet-report.json');
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
    stack = await startStack({ ports: 'free', processes: 'child', functions: true, demoOwner: true, fleet: { count: FLEET, rate: 1, args: ['--report-file', FLEET_REPORT] }, shards: SHARDS, dataDir });
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
    // One device-sim fleet for every shard: each device follows its credentials' URLs.
    expect(stack.services().filter((s) => s.name === 'fleet' && s.running)).toHaveLength(1);
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

  it('moves a device while the fleet runs: history and next readings on the new shard, mapped, none lost or doubled, nothing left behind', async () => {
    const [id, from] = [...placement][0]!;
    const to = stack.shards.find((s) => s !== from)!;
    // A rollup minute for the move to carry (the rollups job runs only later in this file).
    const rollupKey = minuteKey(OLD_MINUTE - 60 * 60_000);
    await admin(from).ref(`rollups/${id}/${rollupKey}`).set({ count: 1, irMin: 7, irMax: 7, irAvg: 7 });
    await eventually('a few readings on the first shard', async () => Object.keys(((await val(from, `devices/${id}/readings`)) as object | null) ?? {}).length >= 3);
    const history = Object.keys((await val(from, `devices/${id}/readings`)) as object);

    // The real command, as the banner shows it: it sends `reconnect` and waits for the device on `to`.
    const moved = await run(
      process.execPath,
      [join(stackConfig().root, 'provisioning', 'bin', 'firelink-provision.js'), 'move', '--device', id, '--to', to, '--shards', String(SHARDS), '--wait-ms', '30000'],
      { env: { ...process.env, FIREBASE_DATABASE_EMULATOR_HOST: stack.hosts.database, FIREBASE_AUTH_EMULATOR_HOST: stack.hosts.auth, GCLOUD_PROJECT: stack.projectId } },
    );
    const report = JSON.parse(moved.stdout) as { copied: { readings: number; rollups: number } };
    expect(report, moved.stderr).toMatchObject({ status: 'moved', from, to, reconnect: { wasOnline: true, acked: true, onTarget: true }, warnings: [] });
    expect(report.copied.readings).toBeGreaterThanOrEqual(history.length);
    expect(report.copied.rollups).toBe(1);
    placement.set(id, to);
    expect(await val(stack.namespace, `deviceShards/${id}`)).toBe(to);
    const atMove = new Set(Object.keys((await val(to, `devices/${id}/readings`)) as object));
    for (const key of history) expect(atMove.has(key), `history reading ${key} on ${to}`).toBe(true);

    // The next readings go to the new shard and are mapped there.
    await eventually('three more readings mapped on the new shard', async () => {
      const readings = ((await val(to, `devices/${id}/readings`)) as Record<string, { ts?: number }> | null) ?? {};
      const next = Object.keys(readings).filter((key) => !atMove.has(key) && typeof readings[key]!.ts === 'number');
      const latest = (await val(to, `devices/${id}/state/readingId`)) as string | null;
      return next.length >= 3 && latest !== null && next.includes(latest);
    }, { timeoutMs: 30_000 });

    // Every reading the fleet had acknowledged is stored once, on its device's shard: the report
    // of the stopped fleet (queue drained) against the readings of every device.
    await stack.stopFleet();
    await stack.functionsIdle();
    const fleetReport = JSON.parse(readFileSync(FLEET_REPORT, 'utf8')) as { started: number; acked: number; queued: number };
    expect(fleetReport).toMatchObject({ started: FLEET, queued: 0 });
    let stored = 0;
    for (const [device, shard] of placement) stored += Object.keys(((await val(shard, `devices/${device}/readings`)) as object | null) ?? {}).length;
    expect(stored).toBe(fleetReport.acked);
    const readings = Object.values((await val(to, `devices/${id}/readings`)) as Record<string, { seq: number; ts?: number }>);
    expect(new Set(readings.map((r) => r.seq)).size, 'one reading per seq').toBe(readings.length);
    for (const reading of readings) expect(typeof reading.ts, `reading seq ${reading.seq} mapped`).toBe('number');
    expect(await val(to, `rollups/${id}/${rollupKey}/count`)).toBe(1);
    for (const other of stack.shards.filter((s) => s !== to)) {
      expect(await val(other, `devices/${id}`), `${id} on ${other}`).toBeNull();
      expect(await val(other, `rollups/${id}`), `${id} rollups on ${other}`).toBeNull();
    }
    // The owner's fleet summary entry moved too, and the new shard's functions keep it.
    const owner = stack.demoOwner!.uid;
    for (const other of stack.shards.filter((s) => s !== to)) expect(await val(other, `fleets/${owner}/${id}`), `summary on ${other}`).toBeNull();
    const state = (await val(to, `devices/${id}/state`)) as { seq: number };
    expect(await val(to, `fleets/${owner}/${id}/state/seq`)).toBe(state.seq);
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
