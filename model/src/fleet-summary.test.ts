import { describe, expect, it } from 'vitest';
import { ContractError } from './errors.js';
import { fleetEntryPath, fleetsPath, summaryOfDevice, summaryState, summaryStatus } from './fleet-summary.js';

describe('fleet summary', () => {
  it('builds paths and refuses bad ids', () => {
    expect(fleetsPath('u1')).toBe('fleets/u1');
    expect(fleetEntryPath('u1', 'dev-1')).toBe('fleets/u1/dev-1');
    expect(() => fleetEntryPath('u/1', 'dev-1')).toThrow(ContractError);
    expect(() => fleetEntryPath('u1', 'Dev 1')).toThrow(ContractError);
  });

  it('picks the row fields of a device node and drops the rest', () => {
    const device = {
      meta: { name: 'Hall', owner: 'u1', zone: 'z1', createdAt: 5 },
      status: { online: true, lastSeen: 7, fw: '1.0.0', rssi: -40 },
      state: { angle: 90, ir: 2048, seq: 3, readingId: 'r3', lcd: 'x', ts: 9 },
      readings: { r3: { ir: 2048, seq: 3 } },
    };
    expect(summaryOfDevice(device)).toEqual({
      owner: 'u1',
      entry: { meta: { name: 'Hall', zone: 'z1' }, status: { online: true, lastSeen: 7, fw: '1.0.0' }, state: { angle: 90, ir: 2048, seq: 3, ts: 9 } },
    });
  });

  it('gives null without an owner or with unusable parts', () => {
    expect(summaryOfDevice({ meta: { name: 'Hall' } })).toBeNull();
    expect(summaryOfDevice(null)).toBeNull();
    expect(summaryStatus({ online: 'yes', lastSeen: 1, fw: '1' })).toBeNull();
    expect(summaryState({ angle: 1, ir: 2, seq: 3 })).toBeNull();
  });
});
