/**
 * Schemas of the nodes under `devices/{deviceId}` (model/README.md lists the paths). They describe
 * stored values: a server value such as `{".sv": "timestamp"}` has already been resolved to a
 * number when RTDB rules (and these schemas) see it.
 */
import { z } from 'zod';
import {
  ANGLE_MAX,
  ANGLE_MIN,
  FW_VERSION_PATTERN,
  HEARTBEAT_MS_MAX,
  HEARTBEAT_MS_MIN,
  IDENTIFY_MS_MAX,
  IR_MAX,
  IR_MIN,
  LCD_TEXT_PATTERN,
  LIGHT_MAX,
  LIGHT_MIN,
  NAME_MAX_CHARS,
  PUSH_ID_PATTERN,
  RESULT_MESSAGE_MAX_CHARS,
  HEAP_MAX_BYTES,
  HEAP_MIN_BYTES,
  RSSI_MAX_DBM,
  RSSI_MIN_DBM,
  SAMPLE_MS_MAX,
  SAMPLE_MS_MIN,
  SEQ_MAX,
  TEMP_MAX_C,
  TEMP_MIN_C,
  UID_MAX_CHARS,
  ZONE_ID_PATTERN,
} from '../limits.js';
import { PUSH_ID_RULE, UID_RULE, ZONE_ID_RULE } from '../keys.js';
import { keyProblem } from '../rtdb/keys.js';
import { bool, intIn, matching, node, numberIn, oneOf, text, timestampMs } from './fields.js';

export const irField = intIn(IR_MIN, IR_MAX);
export const angleField = intIn(ANGLE_MIN, ANGLE_MAX, ' degrees');
export const seqField = intIn(0, SEQ_MAX);
export const pushIdField = matching(PUSH_ID_PATTERN, PUSH_ID_RULE);
export const zoneIdField = matching(ZONE_ID_PATTERN, ZONE_ID_RULE);
export const uidField = z
  .string({ error: `must be a Firebase Auth uid: a database key, ${UID_RULE}` })
  .max(UID_MAX_CHARS, { error: `must be a Firebase Auth uid: a database key, ${UID_RULE}` })
  .refine((v) => keyProblem(v) === undefined, {
    error: `must be a Firebase Auth uid: a database key (no . # $ [ ] / or control characters), ${UID_RULE}`,
  });

/** What a device writes to `readings/{readingId}`: everything but `ts`. */
export const ReadingWriteSchema = node({
  /** Raw 12-bit ADC value of the IR distance sensor. */
  ir: irField,
  /** Degrees Celsius. */
  temp: numberIn(TEMP_MIN_C, TEMP_MAX_C, ' (degrees Celsius)').optional(),
  /** Raw 12-bit ADC value of the light sensor (not lux). */
  light: intIn(LIGHT_MIN, LIGHT_MAX).optional(),
  /** The device's reading counter: increases by at least one per reading, survives reconnects. */
  seq: seqField,
  /** The device's clock when sampled (epoch ms once the device has synced time). */
  deviceTs: timestampMs.optional(),
});

/** A stored reading: `ts` (server time) is stamped by the reading function, never by the device. */
export const ReadingSchema = node({
  ...ReadingWriteSchema.shape,
  ts: timestampMs.optional(),
});

export const StatusSchema = node({
  online: bool,
  /** Server time of the last heartbeat or connect. */
  lastSeen: timestampMs,
  /** Firmware version, e.g. `1.2.0` or `sim-0.1.0`. */
  fw: matching(
    FW_VERSION_PATTERN,
    'must be a firmware version of 1..32 characters of A-Z a-z 0-9 . + - starting with a letter or digit',
  ),
  rssi: intIn(RSSI_MIN_DBM, RSSI_MAX_DBM, ' dBm').optional(),
  /** Free heap on the device (firmware heartbeats), for spotting leaks and TLS pressure. */
  heap: intIn(HEAP_MIN_BYTES, HEAP_MAX_BYTES, ' bytes').optional(),
});

const mappingRuleFields = node({
  inMin: intIn(IR_MIN, IR_MAX),
  inMax: intIn(IR_MIN, IR_MAX),
  outMin: angleField,
  outMax: angleField,
  invert: bool,
});

/**
 * The calibration: readings in [inMin, inMax] map linearly onto [outMin, outMax] degrees. Both
 * ranges must be increasing (a degenerate range maps nothing); to turn the servo the other way,
 * set `invert`.
 */
export const MappingSchema = mappingRuleFields.superRefine((m, ctx) => {
  if (m.inMin >= m.inMax) {
    ctx.addIssue({
      code: 'custom',
      path: ['inMax'],
      input: m.inMax,
      message: `must be greater than inMin (got inMin ${m.inMin}, inMax ${m.inMax}); the input range must not be empty or reversed, use invert to reverse the direction`,
    });
  }
  if (m.outMin >= m.outMax) {
    ctx.addIssue({
      code: 'custom',
      path: ['outMax'],
      input: m.outMax,
      message: `must be greater than outMin (got outMin ${m.outMin}, outMax ${m.outMax}); the output range must not be empty or reversed, use invert to reverse the direction`,
    });
  }
});

export const ConfigSchema = node({
  mapping: MappingSchema,
  sampleMs: intIn(SAMPLE_MS_MIN, SAMPLE_MS_MAX, ' ms'),
  heartbeatMs: intIn(HEARTBEAT_MS_MIN, HEARTBEAT_MS_MAX, ' ms'),
});

export const MetaSchema = node({
  name: text(NAME_MAX_CHARS),
  owner: uidField,
  zone: zoneIdField.optional(),
  createdAt: timestampMs,
});

export const LcdSchema = node({
  line1: matching(LCD_TEXT_PATTERN, 'must be at most 16 printable ASCII characters'),
  line2: matching(LCD_TEXT_PATTERN, 'must be at most 16 printable ASCII characters'),
});

/** Written only by functions. `seq` is the reading's, so an older reading never overwrites a newer state. */
export const StateSchema = node({
  angle: angleField,
  ir: irField,
  readingId: pushIdField,
  seq: seqField,
  lcd: LcdSchema,
  ts: timestampMs,
  /**
   * The calibration the angle was computed with: the device's `config/mapping` as stored then.
   * Absent when none was stored (the default mapping applied). The rules accept a state only while
   * it equals the stored mapping, so a stale copy of the config can never land.
   */
  mapping: MappingSchema.optional(),
});

export const COMMAND_TYPES = ['reboot', 'calibrate', 'set-angle', 'identify', 'reconnect'] as const;
/** What a device may answer. */
export const DEVICE_RESULT_STATUSES = ['ok', 'error', 'unsupported'] as const;
/**
 * Every status a stored command's `result` may carry: the device's, and `expired`, which functions
 * write (without `ackAt`) to a command nobody acknowledged in time, so expiry never reads as a
 * device error.
 */
export const COMMAND_RESULT_STATUSES = [...DEVICE_RESULT_STATUSES, 'expired'] as const;

const resultFields = {
  message: text(RESULT_MESSAGE_MAX_CHARS).optional(),
  value: numberIn(-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER).optional(),
};

/** How the device answered a command. `value` carries a measurement, e.g. the ir `calibrate` sampled. */
export const CommandResultSchema = node({
  status: oneOf(DEVICE_RESULT_STATUSES),
  ...resultFields,
});

/** A stored `result`: the device's answer, or `{status: "expired", message?}` from functions. */
export const StoredCommandResultSchema = node({
  status: oneOf(COMMAND_RESULT_STATUSES),
  ...resultFields,
});

/** The two keys a device adds to a command it executed. */
export const CommandAckSchema = node({
  ackAt: timestampMs,
  result: CommandResultSchema,
});

const ackFields = {
  ackAt: timestampMs.optional(),
  result: StoredCommandResultSchema.optional(),
};

/**
 * A device acks with `ackAt` and `result` together; functions close an unacknowledged command
 * with an `expired` result and no `ackAt` (database.rules.json refuses a late ack).
 */
function checkAck(command: { ackAt?: number | undefined; result?: { status: string } | undefined }, ctx: z.RefinementCtx): void {
  const expired = command.result?.status === 'expired';
  if (expired && command.ackAt !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['ackAt'], input: command.ackAt, message: 'must be absent: an expired command was never acknowledged' });
  } else if (command.result !== undefined && !expired && command.ackAt === undefined) {
    ctx.addIssue({ code: 'custom', path: ['ackAt'], input: undefined, message: 'is required with a device result (a device acks with ackAt and result together; only an expired result has no ackAt)' });
  } else if (command.ackAt !== undefined && command.result === undefined) {
    ctx.addIssue({ code: 'custom', path: ['result'], input: undefined, message: 'is required with ackAt (a device acks with ackAt and result together)' });
  }
}

/** Per-type command arguments. An absent `args` is how RTDB stores "no arguments". */
const commandShapes = {
  reboot: {
    type: z.literal('reboot'),
    createdAt: timestampMs,
  },
  /** Sample the sensor now and report it in `result.value`, as the new inMin (`min`) or inMax (`max`). */
  calibrate: {
    type: z.literal('calibrate'),
    args: node({ bound: oneOf(['min', 'max'] as const) }),
    createdAt: timestampMs,
  },
  /** Move the servo now, until the next reading's state. */
  'set-angle': {
    type: z.literal('set-angle'),
    args: node({ angle: angleField }),
    createdAt: timestampMs,
  },
  /** Blink the LCD backlight so a person can find the device. */
  identify: {
    type: z.literal('identify'),
    args: node({ durationMs: intIn(1, IDENTIFY_MS_MAX, ' ms') }).optional(),
    createdAt: timestampMs,
  },
  /**
   * Re-read the directory entry `deviceShards/{id}` and move to that shard: ack here (the old
   * shard) first, then reconnect (docs/scaling.md "How: the shard design", step 6).
   */
  reconnect: {
    type: z.literal('reconnect'),
    createdAt: timestampMs,
  },
} as const;

const typeRule = { error: `must be one of ${COMMAND_TYPES.join(', ')}` };

/** What an owner writes to `commands/{commandId}`. */
export const CommandCreateSchema = z.discriminatedUnion(
  'type',
  [
    node(commandShapes.reboot),
    node(commandShapes.calibrate),
    node(commandShapes['set-angle']),
    node(commandShapes.identify),
    node(commandShapes.reconnect),
  ],
  typeRule,
);

/** A stored command: pending, acked, or expired. */
export const CommandSchema = z
  .discriminatedUnion(
    'type',
    [
      node({ ...commandShapes.reboot, ...ackFields }),
      node({ ...commandShapes.calibrate, ...ackFields }),
      node({ ...commandShapes['set-angle'], ...ackFields }),
      node({ ...commandShapes.identify, ...ackFields }),
      node({ ...commandShapes.reconnect, ...ackFields }),
    ],
    typeRule,
  )
  .superRefine(checkAck);
