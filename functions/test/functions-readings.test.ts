// onReadingCreated for real: devices write readings over the client SDK, the emulator's
// functions host runs functions/lib, and the tests read what landed in the database.
import { describe, expect, it } from 'vitest';
import { ref, set, update } from 'firebase/database';
import type { Reference } from 'firebase-admin/database';
import { DEFAULT_CONFIG, formatLcd, mapReadingToAngle } from '@firelink/model';
import { writableMappingCases } from './support/fixtures.js';
import { FunctionWrites, useFunctionsEmulator } from './support/clients.js';
import { functionsIdle } from '@firelink/stack';
import { NAMESPACE } from './support/emulator.js';
import { handleReadingCreated, type ReadingDatabases } from '../src/reading-handler.js';
import { guardedRoot } from '../src/writer.js';

// No timed schedule runs during these tests (yearly cron); see functions-jobs.test.ts.
process.env.FIRELINK_SCHEDULE = '0 0 1 1 *';
// The default (no line per mapped reading); the last test turns it on.
delete process.env.FIRELINK_LOG_MAPPED_READINGS;


const fx = useFunctionsEmulator();
const val = fx.val;
/** What the trigger passes the handler: admin reads, rules-guarded writes, on the test namespace. */
const dbs = (extra: Partial<ReadingDatabases> = {}): ReadingDatabases => ({
  reader: fx.c.admin.ref(),
  writer: guardedRoot(NAMESPACE, 'firebaseio.com'),
  ...extra,
});

/**
 * The admin root, recording each read of a location under it (`get` or `on`, with its path):
 * what the handler reads through `dbs.reader`.
 */
function recordingRoot(root: Reference, reads: string[]): Reference {
  return new Proxy(root, {
    get(target, prop) {
      if (prop !== 'child') return Reflect.get(target, prop, target);
      return (path: string) => {
        const at = target.child(path);
        return new Proxy(at, {
          get(inner, name) {
            const value: unknown = Reflect.get(inner, name, inner);
            if (typeof value !== 'function') return value;
            if (name === 'get' || name === 'on' || name === 'once') reads.push(`${String(name)} ${path}`);
            return (value as (...args: unknown[]) => unknown).bind(inner);
          },
        });
      };
    },
  });
}

/** Registers a device for `owner` with a config, as provisioning would (admin, no Auth user). */
async function register(deviceId: string, config: unknown = DEFAULT_CONFIG, zone?: string): Promise<void> {
  await fx.c.admin.ref().update({
    [`users/owner-1/devices/${deviceId}`]: true,
    [`devices/${deviceId}/meta`]: { name: deviceId, owner: 'owner-1', createdAt: Date.now(), ...(zone ? { zone } : {}) },
    [`devices/${deviceId}/config`]: config,
    ...(zone ? { [`zones/${zone}/devices/${deviceId}`]: true, [`zones/${zone}/owners/owner-1/${deviceId}`]: true } : {}),
  });
}

describe('onReadingCreated', () => {
  it('lands the angle and LCD lines of every mapping case in state, with server time', async () => {
    await register('map-1');
    const device = fx.c.device('map-1');
    const cases = writableMappingCases();
    let seq = 0;
    for (const k of cases) {
      seq += 1;
      await fx.c.admin.ref('devices/map-1/config/mapping').set(k.mapping);
      const before = Date.now();
      await set(ref(device, `devices/map-1/readings/case-${seq}`), { ir: k.ir, seq });
      await functionsIdle(fx.t.emulator);
      const state = await val('devices/map-1/state');
      expect(state, k.name).toMatchObject({ angle: k.angle, ir: k.ir, readingId: `case-${seq}`, seq, lcd: formatLcd({ ir: k.ir, angle: k.angle }) });
      const ts = await val(`devices/map-1/readings/case-${seq}/ts`);
      expect(ts, k.name).toBe(state.ts);
      expect(ts).toBeGreaterThanOrEqual(before - 1000);
    }
    expect(seq).toBe(cases.length);
  });

  it('costs one function write per reading: state and ts in one update', async () => {
    await register('budget-1');
    const writes = new FunctionWrites(fx.t.emulator);
    const device = fx.c.device('budget-1');
    for (let seq = 1; seq <= 5; seq++) await set(ref(device, `devices/budget-1/readings/r${seq}`), { ir: 100 * seq, seq });
    await functionsIdle(fx.t.emulator);
    writes.stop();
    const mine = writes.touching('devices/budget-1');
    expect(mine).toHaveLength(5);
    for (const paths of mine) {
      expect(paths.sort()).toEqual([expect.stringMatching(/^devices\/budget-1\/readings\/r\d\/ts$/), 'devices/budget-1/state'].sort());
    }
    console.log(`[budget] ${mine.length} function writes for 5 readings (1 device write + 1 function write each)`);
  });

  it('maps each reading of a backlog (one multi-path write) exactly once', async () => {
    await register('backlog-1');
    const writes = new FunctionWrites(fx.t.emulator);
    const backlog: Record<string, unknown> = {};
    for (let seq = 1; seq <= 20; seq++) backlog[`b${String(seq).padStart(2, '0')}`] = { ir: seq * 100, seq };
    await update(ref(fx.c.device('backlog-1'), 'devices/backlog-1/readings'), backlog);
    await functionsIdle(fx.t.emulator);
    writes.stop();
    const readings = await val('devices/backlog-1/readings');
    for (const id of Object.keys(backlog)) {
      expect(typeof readings[id].ts, id).toBe('number');
      expect(writes.touching(`devices/backlog-1/readings/${id}`), id).toHaveLength(1);
    }
    expect(await val('devices/backlog-1/state')).toMatchObject({ readingId: 'b20', seq: 20, ir: 2000 });
    expect(writes.touching('devices/backlog-1')).toHaveLength(20);
  });

  it('never lets an out-of-order reading overwrite a newer state; it is stamped only', async () => {
    await register('order-1');
    // Keys sort the newer reading first, so its event fires first.
    await update(ref(fx.c.device('order-1'), 'devices/order-1/readings'), { a: { ir: 4095, seq: 30 }, b: { ir: 0, seq: 25 } });
    await functionsIdle(fx.t.emulator);
    expect(await val('devices/order-1/state')).toMatchObject({ readingId: 'a', seq: 30, angle: 180 });
    expect(typeof (await val('devices/order-1/readings/b/ts'))).toBe('number');
    // A duplicate seq under another id (a device retrying a push) is not mapped again either.
    await fx.c.admin.ref('devices/order-1/readings/dup').set({ ir: 1, seq: 30 });
    await functionsIdle(fx.t.emulator);
    expect(await val('devices/order-1/state')).toMatchObject({ readingId: 'a', seq: 30 });
  });

  it('changes nothing when an event is replayed', async () => {
    await register('replay-1');
    await set(ref(fx.c.device('replay-1'), 'devices/replay-1/readings/r1'), { ir: 2048, seq: 1 });
    await functionsIdle(fx.t.emulator);
    const before = await val('devices/replay-1');
    const writes = new FunctionWrites(fx.t.emulator);
    // The handler exactly as the trigger calls it, on the same event, twice more.
    expect(await handleReadingCreated(dbs(), 'replay-1', 'r1')).toBe('replay');
    expect(await handleReadingCreated(dbs(), 'replay-1', 'r1')).toBe('replay');
    writes.stop();
    expect(writes.touching('devices/replay-1')).toEqual([]);
    expect(await val('devices/replay-1')).toEqual(before);
  });

  it('a reading planned before a newer state landed (another instance) is refused by the rules, then only stamped', async () => {
    await register('race-1');
    await set(ref(fx.c.device('race-1'), 'devices/race-1/readings/r50'), { ir: 4095, seq: 50 });
    await functionsIdle(fx.t.emulator);
    // Back to the moment before r50 was handled: unstamped, state at seq 40.
    await fx.c.admin.ref().update({ 'devices/race-1/readings/r50/ts': null, 'devices/race-1/state/seq': 40 });
    await functionsIdle(fx.t.emulator);
    const newer = { angle: 0, ir: 0, readingId: 'r60', seq: 60, lcd: { line1: 'IR 0', line2: 'Servo   0 deg' }, ts: Date.now() };
    const outcome = await handleReadingCreated(
      dbs({
        // Between our plan (map r50 over seq 40) and our write, another instance maps r60.
        beforeWrite: async (_plan, attempt) => {
          if (attempt === 1) await fx.c.admin.ref('devices/race-1/state').set(newer);
        },
      }),
      'race-1',
      'r50',
    );
    expect(outcome).toBe('stale');
    expect(await val('devices/race-1/state')).toEqual(newer);
    expect(typeof (await val('devices/race-1/readings/r50/ts'))).toBe('number');
  });

  it('plans from the event copy and the known state, and falls back to stored data when the rules refuse', async () => {
    await register('fast-1');
    const device = fx.c.device('fast-1');
    // As the trigger calls it: with the instance (so states are remembered) and the event's reading.
    const fast = (extra: Partial<ReadingDatabases> = {}) => dbs({ instance: NAMESPACE, ...extra });
    await fx.c.admin.ref('devices/fast-1/readings/r1').set({ ir: 1000, seq: 1 });
    await fx.c.admin.ref('devices/fast-1/readings/r2').set({ ir: 2000, seq: 2 });
    await functionsIdle(fx.t.emulator);
    // Clear what the worker did, so this process's handler is the only writer below.
    await fx.c.admin.ref().update({ 'devices/fast-1/state': null, 'devices/fast-1/readings/r1/ts': null, 'devices/fast-1/readings/r2/ts': null });
    expect(await handleReadingCreated(fast(), 'fast-1', 'r1', { ir: 1000, seq: 1 })).toBe('map');
    // The second reading is planned without reading reading or state: attempt 0 is that plan.
    const attempts: number[] = [];
    expect(await handleReadingCreated(fast({ beforeWrite: async (_p, a) => void attempts.push(a) }), 'fast-1', 'r2', { ir: 2000, seq: 2 })).toBe('map');
    expect(attempts).toEqual([0]);
    expect(await val('devices/fast-1/state')).toMatchObject({ readingId: 'r2', seq: 2 });
    // Another instance maps a newer reading: the known state (seq 2) is behind, the event-copy
    // plan for seq 3 is refused by the rules, and the stored data make it a stale reading.
    await set(ref(device, 'devices/fast-1/readings/r3'), { ir: 3000, seq: 3 });
    await functionsIdle(fx.t.emulator);
    await fx.c.admin.ref('devices/fast-1/readings/r3/ts').set(null);
    const newer = { angle: 0, ir: 0, readingId: 'r9', seq: 9, lcd: { line1: 'IR 0', line2: 'Servo   0 deg' }, ts: Date.now() };
    await fx.c.admin.ref('devices/fast-1/state').set(newer);
    const tries: number[] = [];
    expect(await handleReadingCreated(fast({ beforeWrite: async (_p, a) => void tries.push(a) }), 'fast-1', 'r3', { ir: 3000, seq: 3 })).toBe('stale');
    expect(tries).toEqual([0, 1]);
    expect(await val('devices/fast-1/state')).toEqual(newer);
    expect(typeof (await val('devices/fast-1/readings/r3/ts'))).toBe('number');
  });

  it('keeps the config by a listener; a state planned from an outdated copy is refused by the rules, then mapped with the stored config', async () => {
    await register('cal-1');
    for (let seq = 1; seq <= 3; seq++) await fx.c.admin.ref(`devices/cal-1/readings/r${seq}`).set({ ir: 1000 * seq, seq });
    await functionsIdle(fx.t.emulator);
    const reset: Record<string, null> = { 'devices/cal-1/state': null };
    for (let seq = 1; seq <= 3; seq++) reset[`devices/cal-1/readings/r${seq}/ts`] = null;
    await fx.c.admin.ref().update(reset);
    const reads: string[] = [];
    const handler = (extra: Partial<ReadingDatabases> = {}) => dbs({ reader: recordingRoot(fx.c.admin.ref(), reads), instance: NAMESPACE, ...extra });

    expect(await handleReadingCreated(handler(), 'cal-1', 'r1', { ir: 1000, seq: 1 })).toBe('map');
    expect(await val('devices/cal-1/state/mapping')).toEqual(DEFAULT_CONFIG.mapping);
    expect(await handleReadingCreated(handler(), 'cal-1', 'r2', { ir: 2000, seq: 2 })).toBe('map');
    // r1 read the config once (no known state yet); r2 started the listener: no get per reading.
    expect(reads.filter((r) => r.endsWith('devices/cal-1/config'))).toEqual(['get devices/cal-1/config', 'on devices/cal-1/config']);

    // The owner recalibrates after r3's plan was made from the listener's copy: the rules refuse
    // that state, and the full read maps r3 with the new calibration.
    const recalibrated = { ...DEFAULT_CONFIG.mapping, invert: !DEFAULT_CONFIG.mapping.invert };
    const attempts: number[] = [];
    const beforeWrite = async (_plan: unknown, attempt: number): Promise<void> => {
      attempts.push(attempt);
      if (attempt === 0) await fx.c.admin.ref('devices/cal-1/config/mapping').set(recalibrated);
    };
    expect(await handleReadingCreated(handler({ beforeWrite }), 'cal-1', 'r3', { ir: 3000, seq: 3 })).toBe('map');
    expect(attempts).toEqual([0, 1]);
    expect(await val('devices/cal-1/state')).toMatchObject({ readingId: 'r3', angle: mapReadingToAngle(3000, recalibrated), mapping: recalibrated });
  });

  it('does not map a reading deleted before its event was handled, even planned from the event copy', async () => {
    await register('gone-1');
    await fx.c.admin.ref('devices/gone-1/readings/r1').set({ ir: 1000, seq: 1 });
    await functionsIdle(fx.t.emulator);
    const fast = dbs({ instance: NAMESPACE });
    expect(await handleReadingCreated(fast, 'gone-1', 'r1', { ir: 1000, seq: 1 })).toBe('replay');
    // r2's event is handled after r2 was deleted: the stamp of a missing reading is refused.
    expect(await handleReadingCreated(fast, 'gone-1', 'r2', { ir: 3000, seq: 2 })).toBe('gone');
    expect(await val('devices/gone-1/state')).toMatchObject({ readingId: 'r1', seq: 1 });
    expect(await val('devices/gone-1/readings/r2')).toBeNull();
  });

  it("evaluates the device's zone in the same invocation: one invocation per reading", async () => {
    await register('inline-a', DEFAULT_CONFIG, 'inline');
    await register('inline-b', DEFAULT_CONFIG, 'inline');
    await functionsIdle(fx.t.emulator);
    const from = fx.t.lines.length;
    // The default rule (config.ts): two devices at IR >= 3000 within the window raise the alert.
    await set(ref(fx.c.device('inline-a'), 'devices/inline-a/readings/r1'), { ir: 3500, seq: 1 });
    await functionsIdle(fx.t.emulator);
    expect(await val('zones/inline/alert')).toBeNull();
    await set(ref(fx.c.device('inline-b'), 'devices/inline-b/readings/r1'), { ir: 3600, seq: 1 });
    await functionsIdle(fx.t.emulator);
    expect((await val('zones/inline/alert')).devices).toEqual({ 'inline-a': true, 'inline-b': true });
    await set(ref(fx.c.device('inline-a'), 'devices/inline-a/readings/r2'), { ir: 100, seq: 2 });
    await functionsIdle(fx.t.emulator);
    expect(await val('zones/inline/alert')).toBeNull();
    // Every invocation these readings caused: onReadingCreated once per reading, nothing on state.
    const invoked = fx.t.lines.slice(from).filter((l) => / ok in /.test(l) && /\/devices\/inline-/.test(l));
    expect(invoked).toHaveLength(3);
    for (const line of invoked) expect(line).toMatch(/functions: onReadingCreated .*\/devices\/inline-[ab]\/readings\/r\d /);
  });

  it('evaluates the zone by the rule it is given, and reads nothing of zones for a device without one', async () => {
    await register('zoned-1', DEFAULT_CONFIG, 'rulezone');
    await register('nozone-1');
    for (const id of ['zoned-1', 'nozone-1']) {
      await fx.c.admin.ref(`devices/${id}/readings/r1`).set({ ir: 2000, seq: 1 });
      await fx.c.admin.ref(`devices/${id}/readings/r2`).set({ ir: 2100, seq: 2 });
    }
    await functionsIdle(fx.t.emulator);
    // By the default rule (IR >= 3000, 2 devices) the worker raised nothing.
    expect(await val('zones/rulezone/alert')).toBeNull();
    const reset: Record<string, null> = {};
    for (const id of ['zoned-1', 'nozone-1']) {
      Object.assign(reset, { [`devices/${id}/state`]: null, [`devices/${id}/readings/r1/ts`]: null, [`devices/${id}/readings/r2/ts`]: null });
    }
    await fx.c.admin.ref().update(reset);
    const reads: string[] = [];
    const zoneRule = { irThreshold: 1000, windowMs: 60_000, minDevices: 1 };
    const handler = dbs({ reader: recordingRoot(fx.c.admin.ref(), reads), instance: NAMESPACE, zoneRule });

    expect(await handleReadingCreated(handler, 'nozone-1', 'r1', { ir: 2000, seq: 1 })).toBe('map');
    expect(await handleReadingCreated(handler, 'nozone-1', 'r2', { ir: 2100, seq: 2 })).toBe('map');
    // The zone is listened to once, not read per reading, and no zone data is read.
    expect(reads.filter((r) => r.endsWith('devices/nozone-1/meta/zone'))).toEqual(['on devices/nozone-1/meta/zone']);
    expect(reads.filter((r) => r.includes(' zones/'))).toEqual([]);

    expect(await handleReadingCreated(handler, 'zoned-1', 'r1', { ir: 2000, seq: 1 })).toBe('map');
    expect((await val('zones/rulezone/alert')).devices).toEqual({ 'zoned-1': true });
    expect(reads.filter((r) => r.includes(' zones/rulezone/')).length).toBeGreaterThan(0);
  });

  it('maps with the default calibration when the device has no config', async () => {
    await fx.c.admin.ref('users/owner-1/devices/noconf-1').set(true);
    await fx.c.admin.ref('devices/noconf-1/readings/r1').set({ ir: 4095, seq: 1 });
    await functionsIdle(fx.t.emulator);
    expect(await val('devices/noconf-1/state')).toMatchObject({ angle: 180, lcd: { line1: 'IR 4095', line2: 'Servo 180 deg' } });
  });

  it('by default logs no line per mapped reading, but does log the other outcomes, with the device id', async () => {
    expect(fx.t.lines.filter((l) => l.includes('reading mapped'))).toEqual([]);
    // order-1's reading b (seq 25 after seq 30) went through the trigger: stale, stamped only.
    const stale = fx.t.lines.filter((l) => l.includes('reading older than state'));
    expect(stale.length).toBeGreaterThan(0);
    for (const line of stale) expect(line).toMatch(/"deviceId":"order-1"/);
  });

  it('logs every mapped reading, with the device id, when FIRELINK_LOG_MAPPED_READINGS=true', async () => {
    // The worker's environment is this process's plus functions/.env (emulator/src/functions/config.ts
    // functionsEnv), read at each worker start: the way npm start -- --verbose passes it.
    const reload = () => fetch(`${fx.t.emulator.url}/.functions/reload`, { method: 'POST' });
    process.env.FIRELINK_LOG_MAPPED_READINGS = 'true';
    try {
      expect((await reload()).status).toBe(200);
      await register('logged-1');
      await set(ref(fx.c.device('logged-1'), 'devices/logged-1/readings/r1'), { ir: 2048, seq: 1 });
      await functionsIdle(fx.t.emulator);
      const lines = fx.t.lines.filter((l) => l.includes('reading mapped'));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/"deviceId":"logged-1"/);
    } finally {
      delete process.env.FIRELINK_LOG_MAPPED_READINGS;
      await reload();
    }
  });
});
