import { describe, expect, it } from 'vitest';
import { membershipOf, membershipUpdates, sameMembership } from './zone-membership.js';

const a = { zone: 'a', owner: 'alice' };

describe('zone membership', () => {
  it('reads the zone and owner of a meta value', () => {
    expect(membershipOf({ name: 'x', owner: 'alice', zone: 'lab' })).toEqual({ zone: 'lab', owner: 'alice' });
    expect(membershipOf({ name: 'x', owner: 'alice' })).toBeNull();
    expect(membershipOf({ owner: 'alice', zone: 'Not A Zone' })).toBeNull();
    // No usable owner: nobody could read the zone, so the device is not entered.
    expect(membershipOf({ zone: 'lab' })).toBeNull();
    expect(membershipOf({ zone: 'lab', owner: 'a/b' })).toBeNull();
    expect(membershipOf({ zone: 'lab', owner: 'u'.repeat(129) })).toBeNull();
    expect(membershipOf(null)).toBeNull();
  });

  it('compares memberships by zone and owner', () => {
    expect(sameMembership(null, null)).toBe(true);
    expect(sameMembership(a, { ...a })).toBe(true);
    expect(sameMembership(a, { ...a, owner: 'bob' })).toBe(false);
    expect(sameMembership(a, null)).toBe(false);
  });

  it('moves a device and its owner entry between zones in one path map', () => {
    expect(membershipUpdates('d1', a, { zone: 'b', owner: 'alice' })).toEqual({
      'zones/a/devices/d1': null,
      'zones/a/owners/alice/d1': null,
      'zones/b/devices/d1': true,
      'zones/b/owners/alice/d1': true,
    });
    expect(membershipUpdates('d1', null, a)).toEqual({ 'zones/a/devices/d1': true, 'zones/a/owners/alice/d1': true });
    expect(membershipUpdates('d1', a, null)).toEqual({ 'zones/a/devices/d1': null, 'zones/a/owners/alice/d1': null });
  });

  it('moves only the owner entry when the owner changes within a zone', () => {
    expect(membershipUpdates('d1', a, { zone: 'a', owner: 'bob' })).toEqual({
      'zones/a/devices/d1': true,
      'zones/a/owners/alice/d1': null,
      'zones/a/owners/bob/d1': true,
    });
  });
});
