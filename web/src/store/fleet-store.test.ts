import { describe, expect, it } from 'vitest';
import { FleetStore, type FleetChange } from './fleet-store.js';

function setup() {
  const queued: Array<() => void> = [];
  const store = new FleetStore((fn) => queued.push(fn));
  const changes: FleetChange[] = [];
  store.subscribe((c) => changes.push(c));
  const frame = () => queued.splice(0).forEach((fn) => fn());
  return { store, changes, frame, queued };
}

describe('fleet store', () => {
  it('batches changes per frame, per device and field', () => {
    const { store, changes, frame, queued } = setup();
    store.addDevice('dev-1');
    store.addDevice('dev-2');
    store.applyState('dev-1', { angle: 90, ir: 2048, ts: 5, lcd: {}, readingId: 'r', seq: 1 });
    store.applyState('dev-1', { angle: 91, ir: 2050, ts: 6 });
    expect(queued).toHaveLength(1);
    expect(changes).toHaveLength(0);
    frame();
    expect(changes).toHaveLength(1);
    expect(changes[0]!.structural).toBe(true);
    expect([...changes[0]!.changed.get('dev-1')!].sort()).toEqual(['angle', 'ir', 'loaded', 'stateTs']);
    expect(store.get('dev-1')).toMatchObject({ angle: 91, ir: 2050, stateTs: 6 });
  });
  it('reports nothing when a value arrives unchanged', () => {
    const { store, changes, frame } = setup();
    store.addDevice('dev-1');
    store.applyStatus('dev-1', { online: true, lastSeen: 10, fw: '1.0.0' });
    frame();
    changes.length = 0;
    store.applyStatus('dev-1', { online: true, lastSeen: 10, fw: '1.0.0' });
    frame();
    expect(changes).toHaveLength(0);
    store.applyStatus('dev-1', { online: false, lastSeen: 10, fw: '1.0.0' });
    frame();
    expect([...changes[0]!.changed.get('dev-1')!]).toEqual(['online']);
    expect(changes[0]!.structural).toBe(false);
  });
  it('counts a device loaded once meta, status and state answered, absent values included', () => {
    const { store, frame } = setup();
    store.addDevice('dev-1');
    store.applyMeta('dev-1', { name: 'Door', zone: 'hall', owner: 'u', createdAt: 1 });
    store.applyStatus('dev-1', null);
    expect(store.loadedCount()).toBe(0);
    store.applyState('dev-1', null);
    expect(store.loadedCount()).toBe(1);
    frame();
    expect(store.get('dev-1')).toMatchObject({ name: 'Door', zone: 'hall' });
    expect(store.get('dev-1')!.online).toBeUndefined();
  });
  it('drops fields of the wrong type and ignores removed devices', () => {
    const { store } = setup();
    store.addDevice('dev-1');
    store.applyState('dev-1', { angle: '90', ir: 7 });
    expect(store.get('dev-1')!.angle).toBeUndefined();
    expect(store.get('dev-1')!.ir).toBe(7);
    store.removeDevice('dev-1');
    store.applyState('dev-1', { angle: 1 });
    expect(store.size).toBe(0);
  });
  it('takes a fleet summary entry as the row, and a missing entry as a row without data', () => {
    const { store, changes, frame } = setup();
    store.addDevice('dev-1');
    store.addDevice('dev-2');
    store.applySummary('dev-1', {
      meta: { name: 'Door', zone: 'hall' },
      status: { online: true, lastSeen: 10, fw: '1.0.0' },
      state: { angle: 45, ir: 1024, seq: 3, ts: 11 },
    });
    store.applySummary('dev-2', null);
    expect(store.loadedCount()).toBe(2);
    frame();
    expect(store.get('dev-1')).toMatchObject({ name: 'Door', zone: 'hall', online: true, lastSeen: 10, fw: '1.0.0', angle: 45, ir: 1024, stateTs: 11 });
    expect(store.get('dev-2')!.name).toBeUndefined();
    changes.length = 0;
    // A later entry without status (e.g. removed) clears those fields only.
    store.applySummary('dev-1', { meta: { name: 'Door', zone: 'hall' }, state: { angle: 45, ir: 1024, seq: 3, ts: 11 } });
    frame();
    expect([...changes[0]!.changed.get('dev-1')!].sort()).toEqual(['fw', 'lastSeen', 'online']);
  });
});
