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
} from '../limits.js';
import { DEVICE_ID_RULE } from '../keys.js';
import { idSet, intIn, matching, node, numberIn, text, timestampMs } from './fields.js';

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

/** `zones/{zoneId}`: written by functions from device meta. */
export const ZoneSchema = node({
  devices: idSet(deviceIdField, 'device id'),
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

/** `rollups/{deviceId}/{minuteKey}`: one per device-minute, computed by a scheduled function. */
export const RollupSchema = node({
  count: intIn(1, Number.MAX_SAFE_INTEGER),
  irMin: intIn(IR_MIN, IR_MAX),
  irMax: intIn(IR_MIN, IR_MAX),
  irAvg: numberIn(IR_MIN, IR_MAX),
  tempAvg: numberIn(TEMP_MIN_C, TEMP_MAX_C, ' (degrees Celsius)').optional(),
  lightAvg: numberIn(LIGHT_MIN, LIGHT_MAX).optional(),
  /** Server `ts` of the first and last reading counted. */
  firstTs: timestampMs,
  lastTs: timestampMs,
});
