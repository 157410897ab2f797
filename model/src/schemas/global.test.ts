import { schemaCases } from '../../test/support/schema-harness.js';
import { FirmwareSchema, RollupSchema, UserDevicesSchema, ZoneSchema } from './global.js';

const T = 1_790_000_000_000;
const badDeviceKeys = ['a.b', 'a#b', 'a$b', 'a[b', 'a]b', 'a/b', 'Upper', 'x', '-lead'];
/** How messages write a map key after its parent: `.dev-1` or `["a.b"]`. */
const keyPath = (key: string): string => (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`);

schemaCases(
  'zone',
  ZoneSchema,
  [
    {
      name: 'a zone with an alert',
      value: { devices: { 'dev-1': true, 'dev-2': true }, alert: { raisedAt: T, reason: 'two devices see an object', devices: { 'dev-1': true } } },
    },
    { name: 'a quiet zone', value: { devices: { 'dev-1': true } } },
  ],
  [
    ...badDeviceKeys.map((key) => ({
      name: `device key ${JSON.stringify(key)}`,
      value: { devices: { [key]: true } },
      field: `zone.devices${keyPath(key)}`,
      rule: 'key must be a device id',
    })),
    { name: 'a device mapped to false', value: { devices: { 'dev-1': false } }, field: 'zone.devices.dev-1', rule: 'must be true (a set member)' },
    { name: 'devices as an array', value: { devices: ['dev-1'] }, field: 'zone.devices', rule: 'must be an object mapping each device id to true' },
    { name: 'empty alert reason', value: { devices: { 'dev-1': true }, alert: { raisedAt: T, reason: '', devices: { 'dev-1': true } } }, field: 'zone.alert.reason', rule: '1..128 characters' },
  ],
  { optional: ['alert'], maps: ['devices', 'alert.devices'] },
);

// The ownership index is a bare map: the generic shape checks do not apply, so cases are explicit.
schemaCases(
  'userDevices',
  UserDevicesSchema,
  [{ name: 'two devices', value: { 'dev-1': true, 'kitchen-2': true } }],
  [
    ...badDeviceKeys.map((key) => ({
      name: `device key ${JSON.stringify(key)}`,
      value: { [key]: true },
      field: `userDevices${keyPath(key)}`,
      rule: 'key must be a device id',
    })),
    { name: 'a device mapped to 1', value: { 'dev-1': 1 }, field: 'userDevices.dev-1', rule: 'must be true (a set member) (got 1)' },
  ],
  { optional: ['dev-1', 'kitchen-2'], maps: [''] },
);

const sha = 'a'.repeat(64);
schemaCases(
  'firmware',
  FirmwareSchema,
  [
    { name: 'a release', value: { version: '1.2.0', url: 'https://example.com/fw/1.2.0.bin', sha256: sha } },
    { name: 'a local build', value: { version: '0.0.1-dev', url: 'http://127.0.0.1:5000/fw.bin', sha256: '0123456789abcdef'.repeat(4) } },
  ],
  [
    { name: 'ftp url', value: { version: '1', url: 'ftp://example.com/x', sha256: sha }, field: 'firmware.url', rule: 'http(s) URL' },
    { name: 'url too long', value: { version: '1', url: `https://e.com/${'a'.repeat(2048)}`, sha256: sha }, field: 'firmware.url', rule: 'at most 2048 characters' },
    { name: 'url with a space', value: { version: '1', url: 'https://e.com/a b', sha256: sha }, field: 'firmware.url', rule: 'http(s) URL' },
    { name: 'uppercase sha256', value: { version: '1', url: 'https://e.com/a', sha256: 'A'.repeat(64) }, field: 'firmware.sha256', rule: '64 lowercase hex digits' },
    { name: 'short sha256', value: { version: '1', url: 'https://e.com/a', sha256: 'a'.repeat(63) }, field: 'firmware.sha256', rule: '64 lowercase hex digits' },
  ],
);

const rollup = { count: 60, irMin: 10, irMax: 4000, irAvg: 2000.5, tempAvg: 21.3, lightAvg: 300.25, firstTs: T, lastTs: T + 59_000 };
schemaCases(
  'rollup',
  RollupSchema,
  [{ name: 'a minute', value: rollup }],
  [
    { name: 'count 0', value: { ...rollup, count: 0 }, field: 'rollup.count', rule: 'must be an integer between 1 and' },
    { name: 'irAvg above 4095', value: { ...rollup, irAvg: 4095.5 }, field: 'rollup.irAvg', rule: 'finite number between 0 and 4095' },
    { name: 'irMin fractional', value: { ...rollup, irMin: 1.5 }, field: 'rollup.irMin', rule: 'must be an integer' },
  ],
  { optional: ['tempAvg', 'lightAvg'] },
);
