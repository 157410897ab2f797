// Provisioning across database instances (namespaces of our emulator) and the move command
// (provisioning/src/move.ts), with the Auth emulator. The device in the move tests is played by
// an Admin SDK stand-in that does what the contract asks of a device on `reconnect`: ack on the
// old shard, then write its status on the new one.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteApp, initializeApp, type App } from 'firebase-admin/app';
import { getAuth } from 'firebase-admin/auth';
import { getDatabaseWithUrl, ServerValue, type Database } from 'firebase-admin/database';
import { openProvisioner, type Provisioner } from '@firelink/provisioning';
import { NAMESPACE, PROJECT_ID, startTestEmulator, type TestEmulator } from './support/emulator.js';

const S1 = `${PROJECT_ID}-pshard-1`;
const S2 = `${PROJECT_ID}-pshard-2`;

let t: TestEmulator;
let admin: App;
let provisioner: Provisioner;
const db = (ns: string): Database => getDatabaseWithUrl(`http://${t.emulator.hostPort}?ns=${ns}`, admin);
const val = async (ns: string, path: string): Promise<unknown> => (await db(ns).ref(path).get()).val();

beforeAll(async () => {
  t = await startTestEmulator({ auth: true });
  admin = initializeApp({ projectId: PROJECT_ID, databaseURL: `http://${t.emulator.hostPort}?ns=${NAMESPACE}` }, `pshards-${randomBytes(4).toString('hex')}`);
  provisioner = openProvisioner(
    { kind: 'emulators', projectId: PROJECT_ID, authEmulatorHost: t.stack.hosts.auth, databaseEmulatorHost: t.emulator.hostPort, namespace: NAMESPACE },
    { shards: [{ instance: NAMESPACE }, { instance: S1 }, { instance: S2, capacity: 2 }] },
  );
}, 120_000);

afterAll(async () => {
  await provisioner?.close();
  if (admin) await deleteApp(admin);
  await t?.stop();
});

describe('provisioning across shards', () => {
  it('spreads new devices to the least-loaded instance, data on the shard, index and directory on the default', async () => {
    const made = [];
    for (const id of ['ps-a', 'ps-b', 'ps-c', 'ps-d', 'ps-e', 'ps-f']) made.push(await provisioner.provision({ deviceId: id, ownerUid: 'olga' }));
    // Ties go to the earlier entry; S2 holds at most 2.
    expect(made.map((d) => d.shard)).toEqual([NAMESPACE, S1, S2, NAMESPACE, S1, S2]);
    const onS1 = made[1]!;
    expect(onS1).toMatchObject({
      shard: S1,
      databaseUrl: `http://${t.emulator.hostPort}/?ns=${S1}`,
      directoryUrl: `http://${t.emulator.hostPort}/?ns=${NAMESPACE}`,
    });
    expect(await val(S1, 'devices/ps-b/meta/owner')).toBe('olga');
    expect(await val(S1, 'devices/ps-b/config')).not.toBeNull();
    expect(await val(NAMESPACE, 'devices/ps-b')).toBeNull();
    expect(await val(NAMESPACE, 'users/olga/devices/ps-b')).toBe(true);
    expect(await val(S1, 'users')).toBeNull();
    expect(await val(NAMESPACE, 'deviceShards/ps-b')).toBe(S1);
    expect(await val(NAMESPACE, 'deviceShards/ps-a')).toBe(NAMESPACE);
    // Full everywhere but the two unbounded instances: the seventh goes to the default (tie, first).
    expect((await provisioner.provision({ deviceId: 'ps-g', ownerUid: 'olga' })).shard).toBe(NAMESPACE);
  });

  it('an explicit shard wins; one that is full or not configured is refused with the list', async () => {
    expect((await provisioner.provision({ deviceId: 'ps-x1', ownerUid: 'olga', shard: S1 })).shard).toBe(S1);
    await expect(provisioner.provision({ deviceId: 'ps-x2', ownerUid: 'olga', shard: S2 })).rejects.toMatchObject({ code: 'invalid-argument', message: expect.stringContaining('is full') });
    await expect(provisioner.provision({ deviceId: 'ps-x3', ownerUid: 'olga', shard: 'demo-nowhere' })).rejects.toMatchObject({
      code: 'invalid-argument',
      message: expect.stringContaining(`configured: ${NAMESPACE}, ${S1}, ${S2}`),
    });
    // Refused before anything was made: the id is still free.
    expect((await getAuth(admin).getUser('device-ps-x3').catch(() => null))).toBeNull();
  });

  it("a zoned device joins its zone's shard, and an explicit other shard is refused", async () => {
    const first = await provisioner.provision({ deviceId: 'pz-1', ownerUid: 'olga', zone: 'pzone', shard: S1 });
    expect(first.shard).toBe(S1);
    expect((await provisioner.provision({ deviceId: 'pz-2', ownerUid: 'olga', zone: 'pzone' })).shard).toBe(S1);
    expect(await val(S1, 'zones/pzone/devices')).toEqual({ 'pz-1': true, 'pz-2': true });
    await expect(provisioner.provision({ deviceId: 'pz-3', ownerUid: 'olga', zone: 'pzone', shard: NAMESPACE })).rejects.toThrow(/zone pzone lives on/);
  });

  it('knows a provisioned device wherever it lives, rotates it there, and redoes a half-made one', async () => {
    await expect(provisioner.provision({ deviceId: 'ps-b', ownerUid: 'olga' })).rejects.toMatchObject({ code: 'already-exists', message: expect.stringContaining(S1) });
    const rotated = await provisioner.provision({ deviceId: 'ps-b', ownerUid: 'olga', rotate: true });
    expect(rotated).toMatchObject({ rotated: true, shard: S1 });
    // A provisioning that stopped before the directory entry: user and shard data, no entry.
    await getAuth(admin).createUser({ uid: 'device-ps-half', email: 'ps-half@devices.firelink.local', password: 'x-123456' });
    await db(S1).ref('devices/ps-half/meta').set({ name: 'ps-half', owner: 'olga', createdAt: 1 });
    const redone = await provisioner.provision({ deviceId: 'ps-half', ownerUid: 'olga' });
    expect(await val(NAMESPACE, `deviceShards/ps-half`)).toBe(redone.shard);
    expect((await getAuth(admin).getUser('device-ps-half')).customClaims).toEqual({ device: 'ps-half' });
  });
});

/** Plays the device: on a reconnect command on `from`, acks it there, then writes status on `to`. */
function followReconnect(deviceId: string, from: string, to: string): () => void {
  const commands = db(from).ref(`devices/${deviceId}/commands`);
  const onAdded = commands.on('child_added', (snap) => {
    const command = snap.val() as { type?: string; ackAt?: number };
    if (command.type !== 'reconnect' || command.ackAt !== undefined) return;
    void (async () => {
      await snap.ref.update({ ackAt: ServerValue.TIMESTAMP, result: { status: 'ok' } });
      // A reading the device wrote to the old shard before it acked: the delta must carry it.
      await db(from).ref(`devices/${deviceId}/readings/zz-late`).set({ ir: 7, seq: 99 });
      await db(to).ref(`devices/${deviceId}/status`).set({ online: true, lastSeen: ServerValue.TIMESTAMP, fw: 'stand-in' });
    })();
  });
  return () => commands.off('child_added', onAdded);
}

describe('firelink-provision move', () => {
  it('copies data and rollups, switches the directory, waits for the device, carries late readings, removes the source', async () => {
    await provisioner.provision({ deviceId: 'pm-1', ownerUid: 'olga', shard: NAMESPACE });
    await db(NAMESPACE).ref().update({
      'devices/pm-1/readings/r1': { ir: 1, seq: 1, ts: 1000 },
      'devices/pm-1/readings/r2': { ir: 2, seq: 2, ts: 2000 },
      'devices/pm-1/status': { online: true, lastSeen: 5, fw: 'old' },
      // The owner's fleet summary entry, as the functions keep it (no functions host here).
      'fleets/olga/pm-1': { meta: { name: 'pm-1' }, status: { online: true, lastSeen: 5, fw: 'old' } },
      'rollups/pm-1/202601010000': { count: 2, irMin: 1, irMax: 2, irAvg: 1.5, firstTs: 1000, lastTs: 2000 },
    });
    const stop = followReconnect('pm-1', NAMESPACE, S1);
    try {
      const report = await provisioner.move({ deviceId: 'pm-1', to: S1, waitMs: 10_000, pollMs: 50 });
      expect(report).toMatchObject({
        status: 'moved',
        from: NAMESPACE,
        to: S1,
        copied: { readings: 2, rollups: 1, delta: 1 },
        reconnect: { wasOnline: true, acked: true, onTarget: true },
        warnings: [],
      });
    } finally {
      stop();
    }
    expect(Object.keys((await val(S1, 'devices/pm-1/readings')) as object).sort()).toEqual(['r1', 'r2', 'zz-late']);
    expect(await val(S1, 'rollups/pm-1/202601010000/count')).toBe(2);
    expect(await val(S1, 'devices/pm-1/meta/owner')).toBe('olga');
    expect(await val(NAMESPACE, 'deviceShards/pm-1')).toBe(S1);
    expect(await val(NAMESPACE, 'devices/pm-1')).toBeNull();
    expect(await val(NAMESPACE, 'rollups/pm-1')).toBeNull();
    expect(await val(NAMESPACE, 'users/olga/devices/pm-1')).toBe(true);
    // The summary entry moved with the device (built from the copied meta and status).
    const meta = (await val(S1, 'devices/pm-1/meta')) as { name: string };
    expect(await val(S1, 'fleets/olga/pm-1')).toEqual({ meta: { name: meta.name }, status: { online: true, lastSeen: 5, fw: 'old' } });
    expect(await val(NAMESPACE, 'fleets/olga/pm-1')).toBeNull();
  });

  it('does not wait for an offline device, and reports a device that never answers', async () => {
    await provisioner.provision({ deviceId: 'pm-2', ownerUid: 'olga', shard: NAMESPACE });
    const offline = await provisioner.move({ deviceId: 'pm-2', to: S1, waitMs: 5_000 });
    expect(offline.reconnect).toMatchObject({ wasOnline: false, acked: false });
    expect(offline.reconnect.waitedMs).toBeLessThan(1_000);
    await provisioner.provision({ deviceId: 'pm-3', ownerUid: 'olga', shard: NAMESPACE });
    await db(NAMESPACE).ref('devices/pm-3/status').set({ online: true, lastSeen: 5, fw: 'old' });
    const silent = await provisioner.move({ deviceId: 'pm-3', to: S1, waitMs: 300, pollMs: 50 });
    expect(silent).toMatchObject({ status: 'moved', reconnect: { wasOnline: true, acked: false, onTarget: false } });
    expect(silent.warnings.join('\n')).toMatch(/no ack of the reconnect command within 300 ms[\s\S]*no status on/);
    expect(await val(S1, 'devices/pm-3/meta/owner')).toBe('olga');
    expect(await val(NAMESPACE, 'devices/pm-3')).toBeNull();
  });

  it('is idempotent: again it is already there; a move stopped after the switch is finished', async () => {
    expect(await provisioner.move({ deviceId: 'pm-1', to: S1 })).toMatchObject({ status: 'already-there' });
    // A move stopped after step 2: the directory says S1, the old copy (with a late reading) is still on the default.
    await db(NAMESPACE).ref('devices/pm-1').set({ meta: { name: 'pm-1', owner: 'olga', createdAt: 1 }, readings: { r1: { ir: 1, seq: 1, ts: 1000 }, zz2: { ir: 9, seq: 100 } } });
    const finished = await provisioner.move({ deviceId: 'pm-1', to: S1 });
    expect(finished).toMatchObject({ status: 'finished', from: NAMESPACE, copied: { delta: 1 } });
    expect(await val(S1, 'devices/pm-1/readings/zz2/seq')).toBe(100);
    expect(await val(NAMESPACE, 'devices/pm-1')).toBeNull();
  });

  it('refuses clearly: an unknown target, a zoned device, a device nowhere', async () => {
    await expect(provisioner.move({ deviceId: 'ps-a', to: 'demo-elsewhere' })).rejects.toMatchObject({ code: 'invalid-argument', message: expect.stringContaining('not a configured instance') });
    await expect(provisioner.move({ deviceId: 'pz-1', to: S2 })).rejects.toMatchObject({ code: 'failed-precondition', message: expect.stringContaining('zone pzone') });
    await expect(provisioner.move({ deviceId: 'pm-none', to: S1 })).rejects.toMatchObject({ code: 'failed-precondition', message: expect.stringContaining('no data') });
    expect(await val(S1, 'devices/pz-1/meta/zone')).toBe('pzone');
  });
});
