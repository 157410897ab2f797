import { schemaCases } from '../../test/support/schema-harness.js';
import {
  CommandAckSchema,
  CommandCreateSchema,
  CommandSchema,
  ConfigSchema,
  MetaSchema,
  ReadingSchema,
  ReadingWriteSchema,
  StateSchema,
  StatusSchema,
} from './device.js';

const T = 1_790_000_000_000;
const mapping = { inMin: 100, inMax: 3900, outMin: 10, outMax: 170, invert: true };

schemaCases(
  'reading',
  ReadingWriteSchema,
  [
    {
      name: 'a full reading',
      value: { ir: 2048, temp: 21.5, light: 300, seq: 7, deviceTs: T },
    },
    { name: 'bounds low', value: { ir: 0, seq: 0, temp: -55, light: 0, deviceTs: 0 } },
    { name: 'bounds high', value: { ir: 4095, seq: 4_294_967_295, temp: 125, light: 4095 } },
  ],
  [
    { name: 'ir above 4095', value: { ir: 4096, seq: 1 }, field: 'reading.ir', rule: 'must be an integer between 0 and 4095 (got 4096)' },
    { name: 'ir negative', value: { ir: -1, seq: 1 }, field: 'reading.ir', rule: 'between 0 and 4095 (got -1)' },
    { name: 'ir fractional', value: { ir: 1.5, seq: 1 }, field: 'reading.ir', rule: 'must be an integer' },
    { name: 'seq negative', value: { ir: 1, seq: -1 }, field: 'reading.seq', rule: 'between 0 and 4294967295' },
    { name: 'seq past uint32', value: { ir: 1, seq: 4_294_967_296 }, field: 'reading.seq', rule: 'between 0 and 4294967295' },
    { name: 'temp too hot', value: { ir: 1, seq: 1, temp: 125.1 }, field: 'reading.temp', rule: 'between -55 and 125 (degrees Celsius)' },
    { name: 'temp too cold', value: { ir: 1, seq: 1, temp: -56 }, field: 'reading.temp', rule: 'between -55 and 125' },
    { name: 'light above 4095', value: { ir: 1, seq: 1, light: 5000 }, field: 'reading.light', rule: 'between 0 and 4095' },
    { name: 'deviceTs fractional', value: { ir: 1, seq: 1, deviceTs: 1.5 }, field: 'reading.deviceTs', rule: 'must be a timestamp' },
    { name: 'deviceTs negative', value: { ir: 1, seq: 1, deviceTs: -1 }, field: 'reading.deviceTs', rule: 'must be a timestamp' },
    { name: 'ts written by the device', value: { ir: 1, seq: 1, ts: T }, field: 'reading', rule: 'unknown key "ts"' },
    { name: 'server value placeholder (unresolved)', value: { ir: 1, seq: 1, deviceTs: { '.sv': 'timestamp' } }, field: 'reading.deviceTs', rule: 'must be a timestamp' },
  ],
  { optional: ['temp', 'light', 'deviceTs'] },
);

schemaCases(
  'storedReading',
  ReadingSchema,
  [{ name: 'a stamped reading', value: { ir: 2048, seq: 7, ts: T, temp: 20 } }],
  [{ name: 'ts fractional', value: { ir: 1, seq: 1, ts: 0.5 }, field: 'storedReading.ts', rule: 'must be a timestamp' }],
  { optional: ['ts', 'temp'] },
);

schemaCases(
  'status',
  StatusSchema,
  [
    { name: 'an online device', value: { online: true, lastSeen: T, fw: '1.2.0', rssi: -60, heap: 182_340 }, optional: ['rssi', 'heap'] },
    { name: 'simulator build', value: { online: false, lastSeen: 0, fw: 'sim-0.1.0+build.7' } },
  ],
  [
    { name: 'rssi positive', value: { online: true, lastSeen: T, fw: '1', rssi: 1 }, field: 'status.rssi', rule: 'between -127 and 0 dBm' },
    { name: 'rssi too low', value: { online: true, lastSeen: T, fw: '1', rssi: -128 }, field: 'status.rssi', rule: 'between -127 and 0' },
    { name: 'heap above 16 MiB', value: { online: true, lastSeen: T, fw: '1', heap: 16_777_217 }, field: 'status.heap', rule: 'between 0 and 16777216 bytes' },
    { name: 'fw empty', value: { online: true, lastSeen: T, fw: '' }, field: 'status.fw', rule: 'firmware version of 1..32' },
    { name: 'fw too long', value: { online: true, lastSeen: T, fw: '1'.repeat(33) }, field: 'status.fw', rule: 'firmware version of 1..32' },
    { name: 'fw with a space', value: { online: true, lastSeen: T, fw: '1 0' }, field: 'status.fw', rule: 'firmware version' },
    { name: 'online as 1', value: { online: 1, lastSeen: T, fw: '1' }, field: 'status.online', rule: 'must be true or false' },
  ],
);

const config = { mapping, sampleMs: 1000, heartbeatMs: 30_000 };
schemaCases(
  'config',
  ConfigSchema,
  [
    { name: 'a full config', value: config },
    { name: 'range limits', value: { mapping: { inMin: 0, inMax: 1, outMin: 179, outMax: 180, invert: false }, sampleMs: 100, heartbeatMs: 3_600_000 } },
  ],
  [
    { name: 'inMin equals inMax', value: { ...config, mapping: { ...mapping, inMin: 5, inMax: 5 } }, field: 'config.mapping.inMax', rule: 'must be greater than inMin (got inMin 5, inMax 5)' },
    { name: 'inMin above inMax', value: { ...config, mapping: { ...mapping, inMin: 9, inMax: 5 } }, field: 'config.mapping.inMax', rule: 'use invert to reverse' },
    { name: 'outMin equals outMax', value: { ...config, mapping: { ...mapping, outMin: 90, outMax: 90 } }, field: 'config.mapping.outMax', rule: 'must be greater than outMin (got outMin 90, outMax 90)' },
    { name: 'outMax 181', value: { ...config, mapping: { ...mapping, outMax: 181 } }, field: 'config.mapping.outMax', rule: 'between 0 and 180 degrees (got 181)' },
    { name: 'outMin -1', value: { ...config, mapping: { ...mapping, outMin: -1 } }, field: 'config.mapping.outMin', rule: 'between 0 and 180' },
    { name: 'inMax 4096', value: { ...config, mapping: { ...mapping, inMax: 4096 } }, field: 'config.mapping.inMax', rule: 'between 0 and 4095' },
    { name: 'inMin fractional', value: { ...config, mapping: { ...mapping, inMin: 0.5 } }, field: 'config.mapping.inMin', rule: 'must be an integer' },
    { name: 'sampleMs too fast', value: { ...config, sampleMs: 99 }, field: 'config.sampleMs', rule: 'between 100 and 3600000 ms' },
    { name: 'sampleMs too slow', value: { ...config, sampleMs: 3_600_001 }, field: 'config.sampleMs', rule: 'between 100 and 3600000' },
    { name: 'heartbeatMs too fast', value: { ...config, heartbeatMs: 4999 }, field: 'config.heartbeatMs', rule: 'between 5000 and 3600000 ms' },
    { name: 'invert as a string', value: { ...config, mapping: { ...mapping, invert: 'yes' } }, field: 'config.mapping.invert', rule: 'must be true or false' },
  ],
);

schemaCases(
  'meta',
  MetaSchema,
  [
    { name: 'a zoned device', value: { name: 'Kitchen sensor', owner: 'uid-123', zone: 'kitchen', createdAt: T }, optional: ['zone'] },
    { name: 'unicode name and uid limits', value: { name: 'Küche ✓', owner: 'u'.repeat(128), createdAt: 0 } },
  ],
  [
    { name: 'empty name', value: { name: '', owner: 'u', createdAt: T }, field: 'meta.name', rule: 'string of 1..64 characters' },
    { name: 'name too long', value: { name: 'n'.repeat(65), owner: 'u', createdAt: T }, field: 'meta.name', rule: '1..64 characters' },
    { name: 'name with a newline', value: { name: 'a\nb', owner: 'u', createdAt: T }, field: 'meta.name', rule: 'without control characters' },
    { name: 'owner too long', value: { name: 'n', owner: 'u'.repeat(129), createdAt: T }, field: 'meta.owner', rule: 'at most 128 characters' },
    ...['a.b', 'a#b', 'a$b', 'a[b', 'a]b', 'a/b', ''].map((owner) => ({
      name: `owner ${JSON.stringify(owner)}`,
      value: { name: 'n', owner, createdAt: T },
      field: 'meta.owner',
      rule: 'must be a Firebase Auth uid',
    })),
    { name: 'zone with uppercase', value: { name: 'n', owner: 'u', zone: 'Kitchen', createdAt: T }, field: 'meta.zone', rule: 'lowercase letters, digits' },
    { name: 'zone with a slash', value: { name: 'n', owner: 'u', zone: 'a/b', createdAt: T }, field: 'meta.zone', rule: 'lowercase letters, digits' },
  ],
);

const lcd = { line1: 'IR 2048', line2: 'Servo  90 deg' };
const state = { angle: 90, ir: 2048, readingId: '-NaBcDeFgHiJkLmNoPqR', seq: 7, lcd, ts: T };
schemaCases(
  'state',
  StateSchema,
  [
    { name: 'a state', value: state },
    { name: 'bounds and empty lines', value: { angle: 180, ir: 0, readingId: 'r', seq: 0, lcd: { line1: '', line2: 'x'.repeat(16) }, ts: 0 } },
  ],
  [
    { name: 'angle 181', value: { ...state, angle: 181 }, field: 'state.angle', rule: 'between 0 and 180 degrees' },
    { name: 'angle fractional', value: { ...state, angle: 90.5 }, field: 'state.angle', rule: 'must be an integer' },
    { name: 'readingId with a dot', value: { ...state, readingId: 'a.b' }, field: 'state.readingId', rule: 'push-id alphabet' },
    { name: 'readingId too long', value: { ...state, readingId: 'a'.repeat(65) }, field: 'state.readingId', rule: '1..64 characters' },
    { name: 'lcd line of 17', value: { ...state, lcd: { ...lcd, line1: 'x'.repeat(17) } }, field: 'state.lcd.line1', rule: 'at most 16 printable ASCII' },
    { name: 'lcd line not ASCII', value: { ...state, lcd: { ...lcd, line2: '90°' } }, field: 'state.lcd.line2', rule: 'printable ASCII' },
  ],
);

const created = { type: 'set-angle', args: { angle: 45 }, createdAt: T };
const commandSamples = [
  { name: 'reboot', value: { type: 'reboot', createdAt: T } },
  { name: 'calibrate', value: { type: 'calibrate', args: { bound: 'min' }, createdAt: T } },
  { name: 'set-angle', value: created },
  { name: 'identify', value: { type: 'identify', args: { durationMs: 5000 }, createdAt: T }, optional: ['args'] },
  { name: 'identify without args', value: { type: 'identify', createdAt: T } },
  { name: 'reconnect', value: { type: 'reconnect', createdAt: T } },
];
const commandRejects = [
  { name: 'unknown type', value: { type: 'dance', createdAt: T }, field: 'command.type', rule: 'must be one of reboot, calibrate, set-angle, identify, reconnect (got "dance"' },
  { name: 'set-angle without args', value: { type: 'set-angle', createdAt: T }, field: 'command.args', rule: 'is required' },
  { name: 'set-angle 181', value: { ...created, args: { angle: 181 } }, field: 'command.args.angle', rule: 'between 0 and 180' },
  { name: 'calibrate bound "mid"', value: { type: 'calibrate', args: { bound: 'mid' }, createdAt: T }, field: 'command.args.bound', rule: 'must be one of min, max' },
  { name: 'reboot with args', value: { type: 'reboot', args: { angle: 1 }, createdAt: T }, field: 'command', rule: 'unknown key "args"' },
  { name: 'reconnect with args', value: { type: 'reconnect', args: { shard: 'x' }, createdAt: T }, field: 'command', rule: 'unknown key "args"' },
  { name: 'identify 0 ms', value: { type: 'identify', args: { durationMs: 0 }, createdAt: T }, field: 'command.args.durationMs', rule: 'between 1 and 60000 ms' },
  { name: 'args of another type', value: { type: 'set-angle', args: { bound: 'min' }, createdAt: T }, field: 'command.args', rule: 'unknown key "bound"' },
];
schemaCases('command', CommandCreateSchema, commandSamples, [
  ...commandRejects,
  { name: 'an ack written with the command', value: { ...created, ackAt: T }, field: 'command', rule: 'unknown key "ackAt"' },
]);

const result = { status: 'ok', message: 'moved', value: 45 };
const expired = { status: 'expired', message: 'not acknowledged within 60000 ms' };
schemaCases(
  'storedCommand',
  CommandSchema,
  [
    { name: 'an acked command', value: { ...created, ackAt: T, result }, optional: ['result.message', 'result.value'] },
    { name: 'an expired command', value: { ...created, result: expired }, optional: ['result', 'result.message'] },
    ...commandSamples,
  ],
  [
    ...commandRejects.map((r) => ({ ...r, field: r.field.replace(/^command/, 'storedCommand') })),
    { name: 'result status unknown', value: { ...created, ackAt: T, result: { status: 'done' } }, field: 'storedCommand.result.status', rule: 'must be one of ok, error, unsupported, expired' },
    { name: 'an expired command with ackAt', value: { ...created, ackAt: T, result: expired }, field: 'storedCommand.ackAt', rule: 'must be absent: an expired command was never acknowledged' },
    { name: 'a device result without ackAt', value: { ...created, result }, field: 'storedCommand.ackAt', rule: 'is required with a device result' },
    { name: 'ackAt without result', value: { ...created, ackAt: T }, field: 'storedCommand.result', rule: 'is required with ackAt' },
  ],
);

schemaCases(
  'ack',
  CommandAckSchema,
  [{ name: 'an ack', value: { ackAt: T, result }, optional: ['result.message', 'result.value'] }],
  [
    { name: 'message too long', value: { ackAt: T, result: { status: 'error', message: 'm'.repeat(129) } }, field: 'ack.result.message', rule: '1..128 characters' },
    { name: 'ackAt negative', value: { ackAt: -1, result }, field: 'ack.ackAt', rule: 'must be a timestamp' },
    { name: 'a device acking "expired"', value: { ackAt: T, result: { status: 'expired' } }, field: 'ack.result.status', rule: 'must be one of ok, error, unsupported (got "expired"' },
  ],
);
