import { schemaCases } from '../../test/support/schema-harness.js';
import { FirmwareSchema, RollupSchema, UserDevicesSchema, ZoneSchema } from './global.js';

const T = 1_790_000_000_000;
const owners = { alice: { 'dev-1': true } };
const badDeviceKeys = ['a.b', 'a#b', 'a$b', 'a[b', 'a]b', 'a/b', 'Upper', 'x', '-lead'];
/** How messages write a map key after its parent: `.dev-1` or `["a.b"]`. */
const keyPath = (key: string): string => (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`);

schemaCases(
  'zone',
  ZoneSchema,
  [
    {
      name: 'a zone with an alert',
      value: {
        devices: { 'dev-1': true, 'dev-2': true },
        owners: { alice: { 'dev-1': true }, bob: { 'dev-2': true } },
        alert: { raisedAt: T, reason: 'two devices see an object', devices: { 'dev-1': true } },
      },
    },
    { name: 'a quiet zone', value: { devices: { 'dev-1': true }, owners: { 'uid-1': { 'dev-1': true } } } },
    { name: 'one owner with two devices', value: { devices: { 'dev-1': true, 'dev-2': true }, owners: { alice: { 'dev-1': true, 'dev-2': true } } } },
    {
      name: 'a zone with its own rule at the limits',
      value: { devices: { 'dev-1': true }, owners, rule: { irThreshold: 4095, windowMs: 1_000, minDevices: 1_000 } },
    },
    { name: 'a rule at the low limits', value: { devices: { 'dev-1': true }, owners, rule: { irThreshold: 0, windowMs: 86_400_000, minDevices: 2 } } },
  ],
  [
    ...badDeviceKeys.map((key) => ({
      name: `device key ${JSON.stringify(key)}`,
      value: { devices: { [key]: true }, owners: { alice: { 'dev-1': true } } },
      field: `zone.devices${keyPath(key)}`,
      rule: 'key must be a device id',
    })),
    { name: 'a device mapped to false', value: { devices: { 'dev-1': false }, owners }, field: 'zone.devices.dev-1', rule: 'must be true (a set member)' },
    { name: 'devices as an array', value: { devices: ['dev-1'], owners }, field: 'zone.devices', rule: 'must be an object mapping each device id to true' },
    { name: 'empty alert reason', value: { devices: { 'dev-1': true }, owners, alert: { raisedAt: T, reason: '', devices: { 'dev-1': true } } }, field: 'zone.alert.reason', rule: '1..128 characters' },
    ...['a.b', 'a/b', '', 'u'.repeat(129)].map((uid) => ({
      name: `owner uid ${JSON.stringify(uid.length > 20 ? `${uid.slice(0, 3)}... (${uid.length})` : uid)}`,
      value: { devices: { 'dev-1': true }, owners: { [uid]: { 'dev-1': true } } },
      field: `zone.owners${keyPath(uid)}`,
      rule: 'key must be a Firebase Auth uid',
    })),
    { name: 'an owner mapped to true', value: { devices: { 'dev-1': true }, owners: { alice: true } }, field: 'zone.owners.alice', rule: 'must be an object mapping each device id to true' },
    { name: "an owner's device mapped to 1", value: { devices: { 'dev-1': true }, owners: { alice: { 'dev-1': 1 } } }, field: 'zone.owners.alice.dev-1', rule: 'must be true (a set member)' },
    { name: "an owner's bad device key", value: { devices: { 'dev-1': true }, owners: { alice: { 'A.b': true } } }, field: 'zone.owners.alice["A.b"]', rule: 'key must be a device id' },
    { name: 'rule irThreshold 4096', value: { devices: { 'dev-1': true }, owners, rule: { irThreshold: 4096 } }, field: 'zone.rule.irThreshold', rule: 'must be an integer between 0 and 4095' },
    { name: 'rule windowMs 999', value: { devices: { 'dev-1': true }, owners, rule: { windowMs: 999 } }, field: 'zone.rule.windowMs', rule: 'between 1000 and 86400000 ms' },
    { name: 'rule windowMs past a day', value: { devices: { 'dev-1': true }, owners, rule: { windowMs: 86_400_001 } }, field: 'zone.rule.windowMs', rule: 'between 1000 and 86400000 ms' },
    { name: 'rule minDevices 1', value: { devices: { 'dev-1': true }, owners, rule: { minDevices: 1 } }, field: 'zone.rule.minDevices', rule: 'between 2 and 1000' },
    { name: 'rule minDevices fractional', value: { devices: { 'dev-1': true }, owners, rule: { minDevices: 2.5 } }, field: 'zone.rule.minDevices', rule: 'must be an integer' },
    { name: 'owners as an array', value: { devices: { 'dev-1': true }, owners: ['alice'] }, field: 'zone.owners', rule: 'must be an object mapping each owner uid to their device ids' },
  ],
  { optional: ['alert', 'rule', 'rule.irThreshold', 'rule.windowMs', 'rule.minDevices'], maps: ['devices', 'owners', 'alert.devices'] },
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

const rollup = {
  count: 60,
  irMin: 10,
  irMax: 4000,
  irAvg: 2000.5,
  tempMin: 20.5,
  tempMax: 22,
  tempAvg: 21.3,
  tempCount: 30,
  lightMin: 0,
  lightMax: 4095,
  lightAvg: 300.25,
  lightCount: 60,
  firstTs: T,
  lastTs: T + 59_000,
};
const irOnly = { count: 1, irMin: 7, irMax: 7, irAvg: 7, firstTs: T, lastTs: T };
schemaCases(
  'rollup',
  RollupSchema,
  [
    { name: 'a minute with every sensor', value: rollup },
    { name: 'a minute of ir only', value: irOnly },
    { name: 'temp without light', value: { ...irOnly, tempMin: -55, tempMax: 125, tempAvg: 35, tempCount: 1 } },
  ],
  [
    { name: 'count 0', value: { ...rollup, count: 0 }, field: 'rollup.count', rule: 'must be an integer between 1 and' },
    { name: 'irAvg above 4095', value: { ...rollup, irAvg: 4095.5 }, field: 'rollup.irAvg', rule: 'finite number between 0 and 4095' },
    { name: 'irMin fractional', value: { ...rollup, irMin: 1.5 }, field: 'rollup.irMin', rule: 'must be an integer' },
    { name: 'tempMax above 125', value: { ...rollup, tempMax: 125.5 }, field: 'rollup.tempMax', rule: 'between -55 and 125 (degrees Celsius)' },
    { name: 'lightMin fractional', value: { ...rollup, lightMin: 0.5 }, field: 'rollup.lightMin', rule: 'must be an integer between 0 and 4095' },
    { name: 'tempCount 0', value: { ...rollup, tempCount: 0 }, field: 'rollup.tempCount', rule: 'must be an integer between 1 and' },
    { name: 'tempCount above count', value: { ...rollup, tempCount: 61 }, field: 'rollup.tempCount', rule: 'must be at most count (got count 60, tempCount 61)' },
    { name: 'irMax below irMin', value: { ...rollup, irMin: 20, irMax: 10 }, field: 'rollup.irMax', rule: 'must be at least irMin (got irMin 20, irMax 10)' },
    { name: 'lastTs before firstTs', value: { ...rollup, lastTs: T - 1 }, field: 'rollup.lastTs', rule: 'must be at least firstTs' },
    { name: 'a light group without lightAvg', value: { ...irOnly, lightMin: 1, lightMax: 2, lightCount: 1 }, field: 'rollup.lightAvg', rule: 'is required with lightMin, lightMax, lightCount' },
  ],
);
