import { describe, expect, it } from 'vitest';
import { DeviceStore, LIVE_READINGS_MAX } from './device-store.js';

describe('device store', () => {
  it('moves access from loading to ok, missing or denied', () => {
    const store = new DeviceStore('dev-1');
    const seen: string[] = [];
    store.access.subscribe((a) => seen.push(a));
    store.applyMeta({ name: 'Door', owner: 'u1', createdAt: 1 });
    expect(store.meta.get()).toEqual({ name: 'Door', owner: 'u1', zone: undefined });
    store.applyMeta(null);
    store.deny();
    expect(seen).toEqual(['loading', 'ok', 'missing', 'denied']);
  });
  it('a device whose database cannot be found is unplaced, with the reason', () => {
    const store = new DeviceStore('dev-1');
    store.fail('deviceShards/dev-1 is 42, not a database instance name');
    expect(store.access.get()).toBe('unplaced');
    expect(store.problem).toContain('deviceShards/dev-1 is 42');
  });
  it('keeps the LCD only when both lines are text', () => {
    const store = new DeviceStore('dev-1');
    store.applyState({ angle: 90, ir: 2048, seq: 3, ts: 10, lcd: { line1: 'IR 2048', line2: 'Servo  90 deg' } });
    expect(store.state.get()).toEqual({ angle: 90, ir: 2048, seq: 3, ts: 10, lcd: { line1: 'IR 2048', line2: 'Servo  90 deg' } });
    store.applyState({ angle: 90, lcd: { line1: 'x' } });
    expect(store.state.get()!.lcd).toBeUndefined();
  });
  it('keeps stamped live readings in time order, at most the limit', () => {
    const store = new DeviceStore('dev-1');
    store.applyReading('b', { ir: 2, seq: 2, ts: 20 });
    store.applyReading('a', { ir: 1, seq: 1 });
    expect(store.live.get().map((r) => r.id)).toEqual(['b']);
    store.applyReading('a', { ir: 1, seq: 1, ts: 10, temp: 20.5 });
    expect(store.live.get()).toEqual([{ id: 'a', ts: 10, ir: 1, seq: 1, temp: 20.5 }, { id: 'b', ts: 20, ir: 2, seq: 2 }]);
    store.applyReading('a', null);
    expect(store.live.get().map((r) => r.id)).toEqual(['b']);
    for (let i = 0; i < LIVE_READINGS_MAX + 5; i += 1) store.applyReading(`r${i}`, { ir: i, ts: 100 + i });
    expect(store.live.get()).toHaveLength(LIVE_READINGS_MAX);
    expect(store.live.get().at(-1)!.id).toBe(`r${LIVE_READINGS_MAX + 4}`);
  });
  it('tracks commands as they arrive, change and go', () => {
    const store = new DeviceStore('dev-1');
    store.applyCommand('c1', { type: 'reboot', createdAt: 1 });
    store.applyCommand('c1', { type: 'reboot', createdAt: 1, ackAt: 2, result: { status: 'ok' } });
    expect(store.commands.get().get('c1')).toMatchObject({ ackAt: 2 });
    store.applyCommand('c1', null);
    expect(store.commands.get().size).toBe(0);
  });
});
