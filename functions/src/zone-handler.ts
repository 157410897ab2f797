/**
 * The I/O half of zone alerts: reads a zone's members and their states, and raises or clears
 * `zones/{zoneId}/alert` by transaction, so concurrent evaluations write each transition once.
 * Reads: the zone's device set, its own `rule` (if any) and each member's state. Writes: only on
 * raise or clear.
 */
import type { Reference } from 'firebase-admin/database';
import { DEVICE_ID_PATTERN, statePath, zoneAlertPath, zoneDevicesPath, zonePath } from '@firelink/model';
import { logs } from './logs.js';
import { idsOf, planZoneAlert, zoneRuleFor, type ZoneMember, type ZonePlan, type ZoneRule } from './zones.js';

function memberState(value: unknown): ZoneMember['state'] {
  if (value === null || typeof value !== 'object') return null;
  const { ir, ts } = value as { ir?: unknown; ts?: unknown };
  return typeof ir === 'number' && typeof ts === 'number' ? { ir, ts } : null;
}

/**
 * Re-evaluates one zone at `nowMs` by the zone's own rule, else `defaults`; `causeDeviceId` names
 * the device on the log line.
 */
export async function evaluateZone(
  root: Reference,
  zoneId: string,
  defaults: ZoneRule,
  nowMs: number,
  causeDeviceId: string | null,
): Promise<ZonePlan['kind']> {
  const [devices, alert, stored] = await Promise.all([
    root.child(zoneDevicesPath(zoneId)).get(),
    root.child(zoneAlertPath(zoneId)).get(),
    root.child(`${zonePath(zoneId)}/rule`).get(),
  ]);
  const memberIds = idsOf(devices.val()).filter((id) => DEVICE_ID_PATTERN.test(id));
  const { rule, problem } = zoneRuleFor(defaults, stored.val());
  if (problem !== null) logs.zoneRuleInvalid(causeDeviceId ?? memberIds[0] ?? '', { zoneId, problem });
  const states = await Promise.all(memberIds.map((id) => root.child(statePath(id)).get()));
  const members: ZoneMember[] = memberIds.map((deviceId, i) => ({ deviceId, state: memberState(states[i]?.val()) }));
  // The common case, no transition, costs reads only.
  if (planZoneAlert({ members, alert: alert.val(), rule, nowMs }).kind === 'none') return 'none';

  let decided: ZonePlan = { kind: 'none', active: false };
  let previous: unknown = null;
  const result = await root.child(zoneAlertPath(zoneId)).transaction((current: unknown) => {
    decided = planZoneAlert({ members, alert: current, rule, nowMs });
    previous = current;
    if (decided.kind === 'raise') return decided.alert;
    if (decided.kind === 'clear') return null;
    // No transition after all. The SDK's first call sees its local cache (null without a
    // listener), where undefined would abort without asking the server: keep null instead.
    return current === null ? null : undefined;
  });
  const plan = decided as ZonePlan;
  if (!result.committed) return 'none';
  if (plan.kind === 'raise') {
    for (const deviceId of Object.keys(plan.alert.devices)) {
      logs.zoneAlertRaised(deviceId, { zoneId, devices: Object.keys(plan.alert.devices) });
    }
  } else if (plan.kind === 'clear') {
    const was = previous !== null && typeof previous === 'object' ? idsOf((previous as { devices?: unknown }).devices) : [];
    const named = was.length > 0 ? was : causeDeviceId !== null ? [causeDeviceId] : [];
    for (const deviceId of named) logs.zoneAlertCleared(deviceId, { zoneId });
  }
  return plan.kind;
}
