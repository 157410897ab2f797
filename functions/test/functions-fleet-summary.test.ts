// The fleet summary fleets/{owner}/{deviceId} kept by the deployed functions (functions/lib on the
// emulator's functions host): meta (onMetaWritten), status (onStatusWritten), state (onReadingCreated).
import { describe, expect, it } from 'vitest';
import { ref, set } from 'firebase/database';
import { DEFAULT_CONFIG } from '@firelink/model';
import { functionsIdle } from '@firelink/stack';
import { useFunctionsEmulator } from './support/clients.js';

process.env.FIRELINK_SCHEDULE = '0 0 1 1 *';


const fx = useFunctionsEmulator();
const val = fx.val;

async function register(deviceId: string, owner: string): Promise<void> {
  await fx.c.admin.ref().update({
    [`users/${owner}/devices/${deviceId}`]: true,
    [`devices/${deviceId}/meta`]: { name: `name-${deviceId}`, owner, createdAt: Date.now() },
    [`devices/${deviceId}/config`]: DEFAULT_CONFIG,
  });
  await functionsIdle(fx.t.emulator);
}

describe('fleet summary', () => {
  it('follows meta, status and readings of a device', async () => {
    await register('sum-1', 'owner-s');
    expect(await val('fleets/owner-s/sum-1')).toEqual({ meta: { name: 'name-sum-1' } });

    const device = fx.c.device('sum-1');
    const lastSeen = Date.now();
    await set(ref(device, 'devices/sum-1/status'), { online: true, lastSeen, fw: '1.2.3', rssi: -50 });
    await functionsIdle(fx.t.emulator);
    expect(await val('fleets/owner-s/sum-1/status')).toEqual({ online: true, lastSeen, fw: '1.2.3' });

    await set(ref(device, 'devices/sum-1/readings/r1'), { ir: 4095, seq: 1 });
    await functionsIdle(fx.t.emulator);
    const state = await val('devices/sum-1/state');
    const summary = await val('fleets/owner-s/sum-1/state');
    expect(summary).toEqual({ angle: state.angle, ir: 4095, seq: 1, ts: summary.ts });
    // Its own write, so its own server time, beside the state's.
    expect(Math.abs(summary.ts - state.ts)).toBeLessThan(5_000);

    await fx.c.admin.ref('devices/sum-1/meta').update({ name: 'Hall', zone: 'z-sum' });
    await functionsIdle(fx.t.emulator);
    expect(await val('fleets/owner-s/sum-1/meta')).toEqual({ name: 'Hall', zone: 'z-sum' });

    // The presence sweep's write (admin) reaches the summary through the status trigger.
    await fx.c.admin.ref('devices/sum-1/status/online').set(false);
    await functionsIdle(fx.t.emulator);
    expect(await val('fleets/owner-s/sum-1/status/online')).toBe(false);
  });

  it('creates a missing entry whole from a status (a first heartbeat before the meta trigger, or a device from before the summary), with no refused write', async () => {
    await register('sum-3', 'owner-w');
    // As for a device provisioned before the summary existed: no entry.
    await fx.c.admin.ref('fleets/owner-w/sum-3').remove();
    const linesBefore = fx.t.lines.length;
    const lastSeen = Date.now();
    await set(ref(fx.c.device('sum-3'), 'devices/sum-3/status'), { online: true, lastSeen, fw: '1.0.0' });
    await functionsIdle(fx.t.emulator);
    expect(await val('fleets/owner-w/sum-3')).toEqual({ meta: { name: 'name-sum-3' }, status: { online: true, lastSeen, fw: '1.0.0' } });
    expect(fx.t.lines.slice(linesBefore).filter((line) => /permission_denied|WARNING/i.test(line))).toEqual([]);
  });

  it('carries the newest state of each of many devices of one owner, their writes coalesced', async () => {
    const ids = Array.from({ length: 12 }, (_, i) => `sum-many-${i}`);
    for (const id of ids) await register(id, 'owner-m');
    const linesBefore = fx.t.lines.length;
    // Three readings per device at once: most states join the owner's batch while one is in flight.
    await Promise.all(ids.flatMap((id) => [1, 2, 3].map((seq) => set(ref(fx.c.device(id), `devices/${id}/readings/r${seq}`), { ir: 1000 + seq, seq }))));
    await functionsIdle(fx.t.emulator);
    const fleet = (await val('fleets/owner-m')) as Record<string, { state?: { seq: number; ir: number } }>;
    for (const id of ids) expect(fleet[id]?.state, id).toMatchObject({ seq: 3, ir: 1003 });
    expect(fx.t.lines.slice(linesBefore).filter((line) => /permission_denied|WARNING/i.test(line))).toEqual([]);
  });

  it('moves with the ownership and goes with the device', async () => {
    await register('sum-2', 'owner-a');
    const device = fx.c.device('sum-2');
    await set(ref(device, 'devices/sum-2/status'), { online: true, lastSeen: Date.now(), fw: '1.0.0' });
    await set(ref(device, 'devices/sum-2/readings/r1'), { ir: 100, seq: 1 });
    await functionsIdle(fx.t.emulator);

    await fx.c.admin.ref('devices/sum-2/meta/owner').set('owner-b');
    await functionsIdle(fx.t.emulator);
    expect(await val('fleets/owner-a/sum-2')).toBeNull();
    const entry = await val('fleets/owner-b/sum-2');
    expect(entry.meta).toEqual({ name: 'name-sum-2' });
    expect(entry.status.fw).toBe('1.0.0');
    expect(entry.state).toMatchObject({ ir: 100, seq: 1 });

    await fx.c.admin.ref('devices/sum-2').remove();
    await functionsIdle(fx.t.emulator);
    expect(await val('fleets/owner-b/sum-2')).toBeNull();
  });
});
