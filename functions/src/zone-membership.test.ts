import { describe, expect, it } from 'vitest';
import { membershipUpdates, zoneOf } from './zone-membership.js';

describe('zone membership', () => {
  it('reads the zone of a meta value', () => {
    expect(zoneOf({ name: 'x', zone: 'lab' })).toBe('lab');
    expect(zoneOf({ name: 'x' })).toBeNull();
    expect(zoneOf({ zone: 'Not A Zone' })).toBeNull();
    expect(zoneOf(null)).toBeNull();
  });
  it('moves a device between zones in one path map', () => {
    expect(membershipUpdates('d1', 'a', 'b')).toEqual({ 'zones/a/devices/d1': null, 'zones/b/devices/d1': true });
    expect(membershipUpdates('d1', null, 'b')).toEqual({ 'zones/b/devices/d1': true });
    expect(membershipUpdates('d1', 'a', null)).toEqual({ 'zones/a/devices/d1': null });
  });
});
