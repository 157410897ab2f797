import { describe, expect, it } from 'vitest';
import { ContractError } from './errors.js';
import { deviceMovePlan, readingsDelta } from './shard-move.js';

const snapshot = {
  device: {
    meta: { name: 'Hall', owner: 'u1', createdAt: 1 },
    readings: { r1: { ir: 1, seq: 1, ts: 10 }, r2: { ir: 2, seq: 2 } },
  },
  rollups: { '202612020600': { count: 1 } },
};

describe('deviceMovePlan', () => {
  it('copies the device and its rollups, switches the directory, removes the source', () => {
    expect(deviceMovePlan('dev-1', 'fl-a', 'fl-b', snapshot)).toEqual({
      from: 'fl-a',
      to: 'fl-b',
      copy: { 'devices/dev-1': snapshot.device, 'rollups/dev-1': snapshot.rollups, 'fleets/u1/dev-1': { meta: { name: 'Hall' } } },
      switchDirectory: { 'deviceShards/dev-1': 'fl-b' },
      remove: { 'devices/dev-1': null, 'rollups/dev-1': null, 'fleets/u1/dev-1': null },
    });
  });

  it('copies no rollups when there are none', () => {
    expect(Object.keys(deviceMovePlan('dev-1', 'fl-a', 'fl-b', { ...snapshot, rollups: null }).copy)).toEqual(['devices/dev-1', 'fleets/u1/dev-1']);
  });

  it('refuses a move to the same shard, an empty device and bad names', () => {
    expect(() => deviceMovePlan('dev-1', 'fl-a', 'fl-a', snapshot)).toThrow('the device is already on fl-a: nothing to move');
    expect(() => deviceMovePlan('dev-1', 'fl-a', 'fl-b', { device: null as never, rollups: null })).toThrow(/devices\/dev-1 is empty on fl-a/);
    expect(() => deviceMovePlan('dev-1', 'FL_A', 'fl-b', snapshot)).toThrow(ContractError);
    expect(() => deviceMovePlan('Dev 1', 'fl-a', 'fl-b', snapshot)).toThrow(ContractError);
  });
});

describe('readingsDelta', () => {
  it('carries only the readings that reached the source after the copy', () => {
    const now = { r1: { ir: 1, seq: 1, ts: 10 }, r2: { ir: 2, seq: 2, ts: 11 }, r3: { ir: 3, seq: 3 } };
    expect(readingsDelta('dev-1', snapshot, now)).toEqual({ 'devices/dev-1/readings/r3': { ir: 3, seq: 3 } });
  });

  it('is empty when nothing arrived, or the source has no readings left', () => {
    expect(readingsDelta('dev-1', snapshot, snapshot.device.readings)).toEqual({});
    expect(readingsDelta('dev-1', snapshot, null)).toEqual({});
  });
});
