import { describe, expect, it } from 'vitest';
import type { DeviceWriter, WriteOutcome } from './device-writer.js';
import { Presence, UNKNOWN_FW } from './presence.js';

function recorder(outcomes: WriteOutcome[]) {
  const calls: Array<{ method: string; path: string; value: unknown }> = [];
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  const writer = {
    put: async (path: string, value: unknown) => {
      calls.push({ method: 'PUT', path, value });
      await gate;
      return outcomes.shift() ?? { ok: true };
    },
    patch: async (path: string, value: unknown) => {
      calls.push({ method: 'PATCH', path, value });
      await gate;
      return outcomes.shift() ?? { ok: true };
    },
  } as unknown as DeviceWriter;
  return { writer, calls, release };
}

describe('Presence', () => {
  it('writes the whole status with a known fw, and merges without one', async () => {
    const { writer, calls, release } = recorder([]);
    release();
    const presence = new Presence(writer);
    await presence.write({ deviceId: 'd1', token: 'T', online: true, fw: '1.0.0', rssi: -60 });
    await presence.write({ deviceId: 'd1', token: 'T', online: false });
    expect(calls).toEqual([
      { method: 'PUT', path: 'devices/d1/status', value: { online: true, lastSeen: { '.sv': 'timestamp' }, fw: '1.0.0', rssi: -60 } },
      { method: 'PATCH', path: 'devices/d1/status', value: { online: false, lastSeen: { '.sv': 'timestamp' } } },
    ]);
  });

  it('falls back to a whole status with fw "unknown" when there is none to merge into', async () => {
    const { writer, calls, release } = recorder([{ ok: false, kind: 'denied', message: 'no status yet' }, { ok: true }]);
    release();
    expect(await new Presence(writer).write({ deviceId: 'd1', token: 'T', online: true })).toEqual({ ok: true });
    expect(calls.map((c) => c.method)).toEqual(['PATCH', 'PUT']);
    expect(calls[1]?.value).toMatchObject({ online: true, fw: UNKNOWN_FW });
  });

  it('keeps one device\'s writes in order (a reconnect\'s online is not overtaken)', async () => {
    const { writer, calls, release } = recorder([]);
    const presence = new Presence(writer);
    const first = presence.write({ deviceId: 'd1', token: 'T', online: false, fw: '1' });
    const second = presence.write({ deviceId: 'd1', token: 'T', online: true, fw: '1' });
    await Promise.resolve();
    expect(calls).toHaveLength(1);
    release();
    await Promise.all([first, second]);
    expect(calls.map((c) => (c.value as { online: boolean }).online)).toEqual([false, true]);
    await presence.idle();
  });
});
