/** Schemas of the nodes outside a device's subtree: ownership index, zones, firmware, rollups. */
import { z } from 'zod';
import {
  ALERT_REASON_MAX_CHARS,
  DEVICE_ID_PATTERN,
  FW_VERSION_PATTERN,
  IR_MAX,
  IR_MIN,
  LIGHT_MAX,
  LIGHT_MIN,
  SHA256_PATTERN,
  TEMP_MAX_C,
  TEMP_MIN_C,
  URL_MAX_CHARS,
  ZONE_MIN_DEVICES_MAX,
  ZONE_MIN_DEVICES_MIN,
  ZONE_WINDOW_MS_MAX,
  ZONE_WINDOW_MS_MIN,
} from '../limits.js';
import { DEVICE_ID_RULE } from '../keys.js';
import { idSet, intIn, matching, node, numberIn, text, timestampMs } from './fields.js';
import { uidField } from './device.js';

export const deviceIdField = matching(DEVICE_ID_PATTERN, `must be a device id: ${DEVICE_ID_RULE}`);

/** `users/{uid}/devices`: `{ <deviceId>: true }`. */
export const UserDevicesSchema = idSet(deviceIdField, 'device id');

/** `zones/{zoneId}/alert`: present while raised; functions delete it to clear. */
export const ZoneAlertSchema = node({
  raisedAt: timestampMs,
  reason: text(ALERT_REASON_MAX_CHARS),
  /** The devices whose readings raised the alert. */
  devices: idSet(deviceIdField, 'device id'),
});

/**
 * `zones/{zoneId}/owners`: `{ <uid>: { <deviceId>: true } }`, the owners of the zone's devices,
 * each with their devices in it. The rules let a user read a zone only when they are listed here.
 * Nested per device so that removing an owner's last device leaves no empty entry (RTDB drops
 * empty nodes) and membership changes of two devices never race on one key.
 */
export const ZoneOwnersSchema = z.record(uidField, idSet(deviceIdField, 'device id'), {
  error: (issue) => (issue.code === 'invalid_key' ? undefined : 'must be an object mapping each owner uid to their device ids'),
});

/**
 * `zones/{zoneId}/rule`: this zone's alert rule where it differs from the functions' defaults
 * (`FIRELINK_ZONE_*`). Admin write; each key is optional.
 */
export const ZoneRuleSchema = node({
  /** An IR reading at or above this counts towards the alert. */
  irThreshold: intIn(IR_MIN, IR_MAX).optional(),
  /** Readings older than this (server time) no longer count. */
  windowMs: intIn(ZONE_WINDOW_MS_MIN, ZONE_WINDOW_MS_MAX, ' ms').optional(),
  /** Members that must be past the threshold within the window. */
  minDevices: intIn(ZONE_MIN_DEVICES_MIN, ZONE_MIN_DEVICES_MAX).optional(),
});

/** `zones/{zoneId}`: written by functions from device meta; `rule` by an admin. */
export const ZoneSchema = node({
  devices: idSet(deviceIdField, 'device id'),
  owners: ZoneOwnersSchema,
  rule: ZoneRuleSchema.optional(),
  alert: ZoneAlertSchema.optional(),
});

const urlRule = `must be an http(s) URL of at most ${URL_MAX_CHARS} characters`;

/** `firmware/{channel}`: OTA metadata, admin write. */
export const FirmwareSchema = node({
  version: matching(
    FW_VERSION_PATTERN,
    'must be a firmware version of 1..32 characters of A-Z a-z 0-9 . + - starting with a letter or digit',
  ),
  url: z
    .string({ error: urlRule })
    .max(URL_MAX_CHARS, { error: urlRule })
    .regex(/^https?:\/\/[^\s/?#]+[^\s]*$/, { error: urlRule }),
  sha256: matching(SHA256_PATTERN, 'must be 64 lowercase hex digits (SHA-256 of the image)'),
});

const tempField = numberIn(TEMP_MIN_C, TEMP_MAX_C, ' (degrees Celsius)');
const lightField = intIn(LIGHT_MIN, LIGHT_MAX);
const countField = intIn(1, Number.MAX_SAFE_INTEGER);
/** Optional sensors: their four statistics are present together or not at all. */
const SENSOR_GROUPS = {
  temp: ['tempMin', 'tempMax', 'tempAvg', 'tempCount'],
  light: ['lightMin', 'lightMax', 'lightAvg', 'lightCount'],
} as const;

/**
 * `rollups/{deviceId}/{minuteKey}`: one per device-minute, computed by a scheduled function.
 * Min, max, mean and count of every sensor over the readings whose server `ts` falls in the
 * minute; `count` counts readings (every reading has `ir`), `tempCount`/`lightCount` the readings
 * that carried that sensor. Means are plain floats (not rounded).
 */
export const RollupSchema = node({
  count: countField,
  irMin: intIn(IR_MIN, IR_MAX),
  irMax: intIn(IR_MIN, IR_MAX),
  irAvg: numberIn(IR_MIN, IR_MAX),
  tempMin: tempField.optional(),
  tempMax: tempField.optional(),
  tempAvg: tempField.optional(),
  tempCount: countField.optional(),
  lightMin: lightField.optional(),
  lightMax: lightField.optional(),
  lightAvg: numberIn(LIGHT_MIN, LIGHT_MAX).optional(),
  lightCount: countField.optional(),
  /** Server `ts` of the first and last reading counted. */
  firstTs: timestampMs,
  lastTs: timestampMs,
}).superRefine((r, ctx) => {
  for (const fields of Object.values(SENSOR_GROUPS)) {
    const present = fields.filter((f) => r[f] !== undefined);
    if (present.length === 0) continue;
    for (const f of fields) {
      if (r[f] === undefined) {
        ctx.addIssue({ code: 'custom', path: [f], input: undefined, message: `is required with ${present.join(', ')} (${fields.join(', ')} come together)` });
      }
    }
  }
  const ordered: Array<[string, number | undefined, string, number | undefined]> = [
    ['irMax', r.irMax, 'irMin', r.irMin],
    ['tempMax', r.tempMax, 'tempMin', r.tempMin],
    ['lightMax', r.lightMax, 'lightMin', r.lightMin],
    ['lastTs', r.lastTs, 'firstTs', r.firstTs],
  ];
  for (const [hiName, hi, loName, lo] of ordered) {
    if (hi !== undefined && lo !== undefined && hi < lo) {
      ctx.addIssue({ code: 'custom', path: [hiName], input: hi, message: `must be at least ${loName} (got ${loName} ${lo}, ${hiName} ${hi})` });
    }
  }
  for (const name of ['tempCount', 'lightCount'] as const) {
    const n = r[name];
    if (n !== undefined && n > r.count) {
      ctx.addIssue({ code: 'custom', path: [name], input: n, message: `must be at most count (got count ${r.count}, ${name} ${n})` });
    }
  }
});
