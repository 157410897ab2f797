/**
 * Zone alerts, the pure half: an alert is raised when at least `minDevices` devices of a zone have
 * a state whose IR is at or past the threshold and whose `ts` lies within the window, and cleared
 * when that stops being true (a reading drops below, or the window passes without new readings).
 * Only transitions write, so a zone costs nothing per reading while its alert state holds.
 */
import { ZoneAlertSchema, ZoneRuleSchema, validate, type ZoneAlert } from '@firelink/model';

export interface ZoneMember {
  deviceId: string;
  /** The device's state: its latest mapped reading (null when it has none). */
  state: { ir: number; ts: number } | null;
}

export interface ZoneRule {
  irThreshold: number;
  windowMs: number;
  minDevices: number;
}

/**
 * The rule a zone is judged by: the defaults (functions config) overridden by the zone's own
 * `rule` node. An invalid stored rule is ignored as a whole, and the problem returned for the log.
 */
export function zoneRuleFor(defaults: ZoneRule, stored: unknown): { rule: ZoneRule; problem: string | null } {
  if (stored === null || stored === undefined) return { rule: defaults, problem: null };
  const checked = validate(ZoneRuleSchema, stored, 'rule');
  if (!checked.ok) return { rule: defaults, problem: checked.error.message };
  const { irThreshold, windowMs, minDevices } = checked.value;
  return {
    rule: {
      irThreshold: irThreshold ?? defaults.irThreshold,
      windowMs: windowMs ?? defaults.windowMs,
      minDevices: minDevices ?? defaults.minDevices,
    },
    problem: null,
  };
}

export type ZonePlan =
  | { kind: 'raise'; alert: ZoneAlert }
  | { kind: 'clear' }
  | { kind: 'none'; active: boolean };

/** Devices of the zone that are past the threshold within the window ending at `nowMs`. */
export function devicesPastThreshold(members: readonly ZoneMember[], rule: ZoneRule, nowMs: number): string[] {
  return members
    .filter((m) => m.state !== null && m.state.ir >= rule.irThreshold && nowMs - m.state.ts <= rule.windowMs)
    .map((m) => m.deviceId)
    .sort();
}

export function planZoneAlert(input: {
  members: readonly ZoneMember[];
  /** `zones/{zoneId}/alert` as stored (null when no alert is raised). */
  alert: unknown;
  rule: ZoneRule;
  nowMs: number;
}): ZonePlan {
  const active = input.alert !== null && input.alert !== undefined;
  const hot = devicesPastThreshold(input.members, input.rule, input.nowMs);
  const alarming = hot.length >= input.rule.minDevices;
  if (alarming && !active) {
    const alert: ZoneAlert = {
      raisedAt: input.nowMs,
      reason: `${hot.length} devices at IR >= ${input.rule.irThreshold} within ${input.rule.windowMs} ms`,
      devices: Object.fromEntries(hot.map((id) => [id, true as const])),
    };
    // The alert is the model's ZoneAlert; checking here turns a drift into a test failure.
    const checked = validate(ZoneAlertSchema, alert, 'alert');
    if (!checked.ok) throw checked.error;
    return { kind: 'raise', alert: checked.value };
  }
  if (!alarming && active) return { kind: 'clear' };
  return { kind: 'none', active };
}

/** `{a: true, b: true}` to `['a', 'b']`, ignoring anything that is not a set member. */
export function idsOf(set: unknown): string[] {
  if (set === null || typeof set !== 'object') return [];
  return Object.entries(set as Record<string, unknown>)
    .filter(([, v]) => v === true)
    .map(([k]) => k)
    .sort();
}
