// Zone alerts, presence, rollups, retention and command expiry through the emulator: triggers
// fire from real writes, schedules run on demand through POST /.functions/schedules/<name>:run.
import { describe, expect, it } from 'vitest';
import { get, ref, set, update } from 'firebase/database';
import { DEFAULT_CONFIG, minuteKey } from '@firelink/model';
import { followMeta } from '../src/zone-membership.js';
import { FunctionWrites, useFunctionsEmulator, type Clients } from './support/clients.js';
import { functionsIdle, runSchedule } from '@firelink/stack';

// Read by functions/src/config.ts in the functions worker, which inherits this environment.
process.env.FIRELINK_RETENTION_MAX_COUNT = '10';
process.env.FIRELINK_RETENTION_BATCH_SIZE = '3';
// Schedules run only when a test asks (POST .../:run): a timed run at a minute boundary would
// race the test's own run (yearly cron, 1 January 00:00 UTC).
process.env.FIRELINK_SCHEDULE = '0 0 1 1 *';

let seq = 0;

const fx = useFunctionsEmulator();
const val = fx.val;

/** Registers a device as provisioning does (one update: index, meta, config, zone membership). */
async function register(deviceId: string, zone?: string, config: unknown = DEFAULT_CONFIG, owner = 'owner-1'): Promise<void> {
  await fx.c.admin.ref().update({
    [`users/${owner}/devices/${deviceId}`]: true,
    [`devices/${deviceId}/meta`]: { name: deviceId, owner, createdAt: Date.now(), ...(zone ? { zone } : {}) },
    [`devices/${deviceId}/config`]: config,
    ...(zone ? { [`zones/${zone}/devices/${deviceId}`]: true, [`zones/${zone}/owners/${owner}/${deviceId}`]: true } : {}),
  });
}

/** The device writes one reading and the test waits until every function has run. */
async function read(deviceId: string, ir: number): Promise<void> {
  seq += 1;
  await set(ref(fx.c.device(deviceId), `devices/${deviceId}/readings/r${seq}`), { ir, seq });
  await functionsIdle(fx.t.emulator);
}

describe('zone alerts', () => {
  it('raises when two devices are past the threshold and clears when one drops', async () => {
    await register('two-a', 'two');
    await register('two-b', 'two');
    await read('two-a', 3500);
    expect(await val('zones/two/alert')).toBeNull();
    await read('two-b', 3600);
    const alert = await val('zones/two/alert');
    expect(alert.devices).toEqual({ 'two-a': true, 'two-b': true });
    expect(alert.reason).toContain('2 devices');
    await read('two-a', 100);
    expect(await val('zones/two/alert')).toBeNull();
  });

  it('with three devices, writes only on raise and clear', async () => {
    for (const id of ['three-a', 'three-b', 'three-c']) await register(id, 'three');
    const writes = new FunctionWrites(fx.t.emulator);
    await read('three-a', 3500);
    await read('three-b', 3500);
    const raised = await val('zones/three/alert');
    expect(raised.devices).toEqual({ 'three-a': true, 'three-b': true });
    await read('three-c', 3900);
    await read('three-a', 10);
    expect(await val('zones/three/alert')).toEqual(raised);
    await read('three-b', 10);
    expect(await val('zones/three/alert')).toBeNull();
    writes.stop();
    expect(writes.touching('zones/three')).toHaveLength(2);
  });

  it("judges a zone by its own rule where it has one, and by the defaults when that rule is invalid", async () => {
    for (const id of ['own-a', 'own-b']) await register(id, 'own');
    for (const id of ['bad-a', 'bad-b']) await register(id, 'bad');
    await fx.c.admin.ref().update({ 'zones/own/rule': { irThreshold: 1000 }, 'zones/bad/rule': { irThreshold: 1000, minDevices: 1 } });
    await read('own-a', 1500);
    await read('own-b', 1600);
    await read('bad-a', 1500);
    await read('bad-b', 1600);
    const alert = await val('zones/own/alert');
    expect(alert.devices).toEqual({ 'own-a': true, 'own-b': true });
    expect(alert.reason).toContain('IR >= 1000');
    // The invalid rule is ignored as a whole: at the default threshold (3000) 1500 does not count.
    expect(await val('zones/bad/alert')).toBeNull();
    expect(fx.t.lines.join('\n')).toContain('zone rule invalid');
    await read('bad-a', 3500);
    await read('bad-b', 3600);
    expect((await val('zones/bad/alert')).reason).toContain('IR >= 3000');
  });

  it('the zone sweep clears an alert whose readings left the window', async () => {
    await register('sweep-a', 'sweep');
    await register('sweep-b', 'sweep');
    const old = Date.now() - 120_000;
    for (const id of ['sweep-a', 'sweep-b']) {
      await fx.c.admin.ref(`devices/${id}/state`).set({ angle: 180, ir: 4000, readingId: 'x', seq: 1, lcd: { line1: 'IR 4000', line2: 'Servo 180 deg' }, ts: old });
    }
    await functionsIdle(fx.t.emulator);
    await fx.c.admin.ref('zones/sweep/alert').set({ raisedAt: old, reason: 'test', devices: { 'sweep-a': true, 'sweep-b': true } });
    await runSchedule(fx.t.emulator, 'sweepZones');
    expect(await val('zones/sweep/alert')).toBeNull();
  });
});

describe('zone membership', () => {
  const owners = new Map<string, ReturnType<Clients['owner']>>();
  /** Waits for every trigger, then says whether `uid`'s SDK client may read the zone. */
  async function canRead(uid: string, zoneId: string): Promise<boolean> {
    await functionsIdle(fx.t.emulator);
    if (!owners.has(uid)) owners.set(uid, fx.c.owner(uid));
    return get(ref(owners.get(uid) as ReturnType<Clients['owner']>, `zones/${zoneId}`)).then(
      () => true,
      (err: unknown) => {
        if (/permission/i.test(String(err))) return false;
        throw err;
      },
    );
  }
  const setZone = (deviceId: string, zone: string) => fx.c.admin.ref(`devices/${deviceId}/meta/zone`).set(zone);

  it('devices and owners follow meta.zone on add, move and remove; the owner reads only their zone', async () => {
    await register('move-1', undefined, DEFAULT_CONFIG, 'mover');
    await register('other-1', 'south', DEFAULT_CONFIG, 'other');
    expect(await canRead('mover', 'north')).toBe(false);

    await setZone('move-1', 'north');
    expect(await canRead('mover', 'north')).toBe(true);
    expect(await val('zones/north')).toEqual({ devices: { 'move-1': true }, owners: { mover: { 'move-1': true } } });

    await setZone('move-1', 'south');
    expect(await canRead('mover', 'north')).toBe(false);
    expect(await canRead('mover', 'south')).toBe(true);
    // The emptied zone is gone entirely, owners included.
    expect(await val('zones/north')).toBeNull();
    expect(await val('zones/south')).toEqual({
      devices: { 'move-1': true, 'other-1': true },
      owners: { mover: { 'move-1': true }, other: { 'other-1': true } },
    });

    await fx.c.admin.ref('devices/move-1/meta/zone').remove();
    expect(await canRead('mover', 'south')).toBe(false);
    expect(await canRead('other', 'south')).toBe(true);
    expect(await val('zones/south')).toEqual({ devices: { 'other-1': true }, owners: { other: { 'other-1': true } } });

    // A deleted device leaves its zone too.
    await fx.c.admin.ref('devices/other-1/meta').remove();
    expect(await canRead('other', 'south')).toBe(false);
    expect(await val('zones/south')).toBeNull();
  });

  it('an owner with two devices in a zone keeps it until the last one leaves; a new owner takes over', async () => {
    await register('pair-1', 'pair', DEFAULT_CONFIG, 'paula');
    await register('pair-2', 'pair', DEFAULT_CONFIG, 'paula');
    await setZone('pair-1', 'elsewhere');
    expect(await canRead('paula', 'pair')).toBe(true);
    expect(await val('zones/pair/owners')).toEqual({ paula: { 'pair-2': true } });

    const writes = new FunctionWrites(fx.t.emulator);
    await fx.c.admin.ref('devices/pair-2/meta/owner').set('quinn');
    expect(await canRead('paula', 'pair')).toBe(false);
    expect(await canRead('quinn', 'pair')).toBe(true);
    writes.stop();
    expect(await val('zones/pair')).toEqual({ devices: { 'pair-2': true }, owners: { quinn: { 'pair-2': true } } });
    // One update moved the owner entry; the device set did not change, so no alert was re-evaluated.
    expect(writes.touching('zones/pair').map((paths) => [...paths].sort())).toEqual([['zones/pair/owners/paula/pair-2', 'zones/pair/owners/quinn/pair-2']]);
  });

  it('a late event of an older move never undoes a newer one', async () => {
    await register('late-1', 'late-a', DEFAULT_CONFIG, 'lee');
    await setZone('late-1', 'late-b');
    await setZone('late-1', 'late-c');
    await functionsIdle(fx.t.emulator);
    // The event of the a -> b move, delivered again after b -> c (at-least-once, unordered).
    const meta = { name: 'late-1', owner: 'lee', createdAt: 1 };
    const root = fx.c.admin.ref();
    expect(await followMeta(root, 'late-1', { ...meta, zone: 'late-a' }, { ...meta, zone: 'late-b' })).toBeNull();
    expect(await val('zones/late-b')).toBeNull();
    expect(await val('zones/late-c')).toEqual({ devices: { 'late-1': true }, owners: { lee: { 'late-1': true } } });
    expect(await canRead('lee', 'late-b')).toBe(false);
  });

  it('after provisioning, and on a rename, the trigger finds the zone in step and writes nothing', async () => {
    const writes = new FunctionWrites(fx.t.emulator);
    await register('calm-1', 'calm', DEFAULT_CONFIG, 'cal');
    await functionsIdle(fx.t.emulator);
    await fx.c.admin.ref('devices/calm-1/meta/name').set('renamed');
    await functionsIdle(fx.t.emulator);
    writes.stop();
    // Only the provisioning-style update itself (an admin write, counted like a function's).
    expect(writes.touching('zones/calm')).toHaveLength(1);
    expect(await canRead('cal', 'calm')).toBe(true);
  });
});

describe('presence sweep', () => {
  it('marks offline exactly the devices silent for more than three heartbeats', async () => {
    const now = Date.now();
    const config = { ...DEFAULT_CONFIG, heartbeatMs: 5_000 };
    for (const id of ['pres-stale', 'pres-fresh', 'pres-off']) await register(id, undefined, config);
    await fx.c.admin.ref().update({
      'devices/pres-stale/status': { online: true, lastSeen: now - 16_000, fw: '1.0.0' },
      'devices/pres-fresh/status': { online: true, lastSeen: now, fw: '1.0.0' },
      'devices/pres-off/status': { online: false, lastSeen: now - 999_000, fw: '1.0.0' },
    });
    const writes = new FunctionWrites(fx.t.emulator);
    await runSchedule(fx.t.emulator, 'sweepPresence');
    writes.stop();
    expect(await val('devices/pres-stale/status')).toEqual({ online: false, lastSeen: now - 16_000, fw: '1.0.0' });
    expect(await val('devices/pres-fresh/status/online')).toBe(true);
    expect(writes.touching('devices/pres-fresh')).toEqual([]);
    expect(writes.touching('devices/pres-off')).toEqual([]);
  });
});

describe('rollups', () => {
  it('summarises a minute of readings per sensor, once', async () => {
    await register('roll-1');
    const minute = Math.floor(Date.now() / 60_000) * 60_000 - 2 * 60_000;
    const readings: Record<string, unknown> = {};
    for (let i = 0; i < 3; i++) readings[`a${i}`] = { ir: 10 * (i + 1), seq: i + 1, ts: minute - 60_000 + i * 1000 };
    for (let i = 0; i < 60; i++) {
      readings[`m${String(i).padStart(2, '0')}`] = {
        ir: 100 + i,
        seq: 10 + i,
        ts: minute + i * 1000,
        ...(i % 2 === 0 ? { temp: 20 + i / 10 } : {}),
        ...(i < 10 ? { light: i * 10 } : {}),
      };
    }
    // A reading of the current minute: not complete, not rolled.
    readings.now = { ir: 1, seq: 999, ts: Date.now() };
    await fx.c.admin.ref('devices/roll-1/readings').update(readings);
    await functionsIdle(fx.t.emulator);
    await runSchedule(fx.t.emulator, 'rollupReadings');
    const rollups = await val('rollups/roll-1');
    expect(Object.keys(rollups).sort()).toEqual([minuteKey(minute - 60_000), minuteKey(minute)]);
    expect(rollups[minuteKey(minute - 60_000)]).toEqual({ count: 3, irMin: 10, irMax: 30, irAvg: 20, firstTs: minute - 60_000, lastTs: minute - 58_000 });
    const r = rollups[minuteKey(minute)];
    expect(r).toMatchObject({ count: 60, irMin: 100, irMax: 159, irAvg: 129.5, firstTs: minute, lastTs: minute + 59_000 });
    expect(r).toMatchObject({ tempCount: 30, tempMin: 20, lightMin: 0, lightMax: 90, lightCount: 10, lightAvg: 45 });
    expect(r.tempMax).toBeCloseTo(25.8, 9);
    expect(r.tempAvg).toBeCloseTo(22.9, 9);

    const writes = new FunctionWrites(fx.t.emulator);
    await runSchedule(fx.t.emulator, 'rollupReadings');
    writes.stop();
    expect(writes.touching('rollups/roll-1')).toEqual([]);
  });
});

describe('retention', () => {
  it('deletes exactly the readings past the age and count limits, in bounded batches', async () => {
    await register('ret-1');
    const now = Date.now();
    const readings: Record<string, unknown> = {};
    for (let i = 0; i < 5; i++) readings[`old${i}`] = { ir: 1, seq: i + 1, ts: now - 8 * 86_400_000 + i };
    for (let i = 0; i < 12; i++) readings[`new${String(i).padStart(2, '0')}`] = { ir: 2, seq: 100 + i, ts: now - 3_600_000 + i * 1000 };
    await fx.c.admin.ref('devices/ret-1/readings').update(readings);
    await functionsIdle(fx.t.emulator);
    const writes = new FunctionWrites(fx.t.emulator);
    await runSchedule(fx.t.emulator, 'pruneReadings');
    writes.stop();
    const kept = Object.keys(await val('devices/ret-1/readings')).sort();
    expect(kept).toEqual(['new02', 'new03', 'new04', 'new05', 'new06', 'new07', 'new08', 'new09', 'new10', 'new11']);
    const deletes = writes.touching('devices/ret-1/readings');
    expect(deletes.map((paths) => paths.length)).toEqual([3, 2, 2]);
  });
});

describe('command lifecycle', () => {
  it('expires unacknowledged commands after the timeout; the device can no longer ack them', async () => {
    await register('cmd-1');
    const now = Date.now();
    await fx.c.admin.ref('devices/cmd-1/commands').set({
      stale: { type: 'reboot', createdAt: now - 120_000 },
      fresh: { type: 'identify', createdAt: now },
      acked: { type: 'reboot', createdAt: now - 120_000, ackAt: now - 119_000, result: { status: 'ok' } },
    });
    await runSchedule(fx.t.emulator, 'expireCommands');
    const commands = await val('devices/cmd-1/commands');
    expect(commands.stale.result).toEqual({ status: 'expired', message: 'not acknowledged within 60000 ms' });
    expect(commands.stale.ackAt).toBeUndefined();
    expect(commands.fresh).toEqual({ type: 'identify', createdAt: now });
    expect(commands.acked.result).toEqual({ status: 'ok' });
    const device = fx.c.device('cmd-1');
    await expect(update(ref(device, 'devices/cmd-1/commands/stale'), { ackAt: { '.sv': 'timestamp' }, result: { status: 'ok' } })).rejects.toThrow(/permission/i);
    await update(ref(device, 'devices/cmd-1/commands/fresh'), { ackAt: { '.sv': 'timestamp' }, result: { status: 'ok' } });
  });
});
