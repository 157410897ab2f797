import { describe, expect, it } from 'vitest';
import { devicesPastThreshold, idsOf, planZoneAlert, zoneRuleFor, type ZoneMember } from './zones.js';

const rule = { irThreshold: 3000, windowMs: 60_000, minDevices: 2 };
const now = 1_700_000_000_000;
const m = (deviceId: string, ir: number, ageMs: number): ZoneMember => ({ deviceId, state: { ir, ts: now - ageMs } });

describe('planZoneAlert', () => {
  it('raises when two devices are past the threshold within the window', () => {
    const plan = planZoneAlert({ members: [m('d-a', 3000, 0), m('d-b', 4000, 59_000), m('d-c', 10, 0)], alert: null, rule, nowMs: now });
    expect(plan.kind).toBe('raise');
    if (plan.kind === 'raise') {
      expect(plan.alert.devices).toEqual({ 'd-a': true, 'd-b': true });
      expect(plan.alert.raisedAt).toBe(now);
      expect(plan.alert.reason).toContain('3000');
    }
  });

  it('does not raise for one device, for readings below the threshold, or outside the window', () => {
    expect(planZoneAlert({ members: [m('d-a', 4000, 0)], alert: null, rule, nowMs: now }).kind).toBe('none');
    expect(planZoneAlert({ members: [m('d-a', 2999, 0), m('d-b', 4000, 0)], alert: null, rule, nowMs: now }).kind).toBe('none');
    expect(planZoneAlert({ members: [m('d-a', 4000, 60_001), m('d-b', 4000, 0)], alert: null, rule, nowMs: now }).kind).toBe('none');
    expect(planZoneAlert({ members: [{ deviceId: 'd-a', state: null }, m('d-b', 4000, 0)], alert: null, rule, nowMs: now }).kind).toBe('none');
  });

  it('honours a higher minimum of devices (three)', () => {
    const three = { ...rule, minDevices: 3 };
    expect(planZoneAlert({ members: [m('d-a', 4000, 0), m('d-b', 4000, 0)], alert: null, rule: three, nowMs: now }).kind).toBe('none');
    expect(planZoneAlert({ members: [m('d-a', 4000, 0), m('d-b', 4000, 0), m('d-c', 3500, 0)], alert: null, rule: three, nowMs: now }).kind).toBe('raise');
  });

  it('writes only on transitions: a raised alert stays while it holds, and clears when it ends', () => {
    const alert = { raisedAt: now - 1, reason: 'x', devices: { 'd-a': true, 'd-b': true } };
    const hot = [m('d-a', 4000, 0), m('d-b', 4000, 0)];
    expect(planZoneAlert({ members: hot, alert, rule, nowMs: now })).toEqual({ kind: 'none', active: true });
    expect(planZoneAlert({ members: [m('d-a', 4000, 0), m('d-b', 100, 0)], alert, rule, nowMs: now }).kind).toBe('clear');
    expect(planZoneAlert({ members: hot, alert, rule, nowMs: now + 60_001 }).kind).toBe('clear');
  });

  it('lists hot devices sorted and reads id sets', () => {
    expect(devicesPastThreshold([m('d-b', 4000, 0), m('d-a', 4000, 0)], rule, now)).toEqual(['d-a', 'd-b']);
    expect(idsOf({ b: true, a: true, c: false })).toEqual(['a', 'b']);
    expect(idsOf(null)).toEqual([]);
  });
});

describe('zoneRuleFor', () => {
  it("uses the defaults without a zone rule, and the zone's keys where it has them", () => {
    expect(zoneRuleFor(rule, null)).toEqual({ rule, problem: null });
    expect(zoneRuleFor(rule, { irThreshold: 1000 })).toEqual({ rule: { ...rule, irThreshold: 1000 }, problem: null });
    expect(zoneRuleFor(rule, { windowMs: 5_000, minDevices: 3 })).toEqual({ rule: { ...rule, windowMs: 5_000, minDevices: 3 }, problem: null });
  });
  it('ignores an invalid zone rule as a whole and says why', () => {
    const out = zoneRuleFor(rule, { irThreshold: 1000, minDevices: 1 });
    expect(out.rule).toEqual(rule);
    expect(out.problem).toContain('rule.minDevices: must be an integer between 2 and 1000');
    expect(zoneRuleFor(rule, { threshold: 5 }).problem).toContain('unknown key "threshold"');
    expect(zoneRuleFor(rule, 'hot').rule).toEqual(rule);
  });
});
