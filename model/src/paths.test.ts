import { describe, expect, it } from 'vitest';
import {
  PATTERNS,
  commandPath,
  commandsPath,
  configPath,
  devicePath,
  firmwarePath,
  metaPath,
  readingPath,
  readingTsPath,
  readingsPath,
  rollupPath,
  rollupsPath,
  statePath,
  statusPath,
  userDevicePath,
  userDevicesPath,
  zoneAlertPath,
  zoneDevicesPath,
  zoneOwnersPath,
  zonePath,
} from './paths.js';

describe('path builders', () => {
  it.each([
    [devicePath('dev-1'), 'devices/dev-1'],
    [metaPath('dev-1'), 'devices/dev-1/meta'],
    [configPath('dev-1'), 'devices/dev-1/config'],
    [readingsPath('dev-1'), 'devices/dev-1/readings'],
    [readingPath('dev-1', '-Nab_1'), 'devices/dev-1/readings/-Nab_1'],
    [readingTsPath('dev-1', '-Nab_1'), 'devices/dev-1/readings/-Nab_1/ts'],
    [statePath('dev-1'), 'devices/dev-1/state'],
    [statusPath('dev-1'), 'devices/dev-1/status'],
    [commandsPath('dev-1'), 'devices/dev-1/commands'],
    [commandPath('dev-1', 'c1'), 'devices/dev-1/commands/c1'],
    [userDevicesPath('uid A'), 'users/uid A/devices'],
    [userDevicePath('uid', 'dev-1'), 'users/uid/devices/dev-1'],
    [zonePath('kitchen'), 'zones/kitchen'],
    [zoneDevicesPath('kitchen'), 'zones/kitchen/devices'],
    [zoneOwnersPath('kitchen'), 'zones/kitchen/owners'],
    [zoneAlertPath('kitchen'), 'zones/kitchen/alert'],
    [firmwarePath('stable'), 'firmware/stable'],
    [rollupsPath('dev-1'), 'rollups/dev-1'],
    [rollupPath('dev-1', '202611212135'), 'rollups/dev-1/202611212135'],
  ])('%s', (built, expected) => {
    expect(built).toBe(expected);
  });

  it.each([
    ['devicePath with a slash', () => devicePath('a/b'), /^deviceId: must not contain/],
    ['devicePath with uppercase', () => statusPath('Dev-1'), /^deviceId: must be 2\.\.63 characters/],
    ['devicePath empty', () => configPath(''), /^deviceId: must not be empty/],
    ['devicePath not a string', () => devicePath(42 as unknown as string), /^deviceId: must be a string \(got 42\)/],
    ['readingPath with a dot', () => readingPath('dev-1', 'a.b'), /^readingId: must not contain/],
    ['readingPath with a $', () => readingTsPath('dev-1', '$x'), /^readingId: must not contain/],
    ['commandPath with a #', () => commandPath('dev-1', 'a#'), /^commandId: must not contain/],
    ['commandPath with a bad device', () => commandPath('a[', 'c1'), /^deviceId: /],
    ['userDevicesPath with a ]', () => userDevicesPath('a]'), /^uid: must not contain/],
    ['userDevicesPath too long', () => userDevicesPath('u'.repeat(129)), /^uid: must be at most 128 characters \(got 129\)/],
    ['userDevicePath bad device', () => userDevicePath('u', 'a.b'), /^deviceId: /],
    ['zonePath with a slash', () => zoneAlertPath('a/b'), /^zoneId: must not contain/],
    ['firmwarePath uppercase', () => firmwarePath('Beta'), /^channel: must be 1\.\.32 characters/],
    ['rollupPath bad minute', () => rollupPath('dev-1', '2026-11-21'), /^minuteKey: must be a UTC minute/],
  ])('rejects %s', (_, build, message) => {
    expect(build).toThrow(message);
  });

  it('trigger patterns use the same segments as the builders', () => {
    const fill = (pattern: string): string =>
      pattern
        .replace('{deviceId}', 'dev-1')
        .replace('{readingId}', 'r1')
        .replace('{commandId}', 'c1')
        .replace('{uid}', 'u')
        .replace('{zoneId}', 'z')
        .replace('{channel}', 'stable')
        .replace('{minuteKey}', '202611212135');
    expect(fill(PATTERNS.reading)).toBe(readingPath('dev-1', 'r1'));
    expect(fill(PATTERNS.state)).toBe(statePath('dev-1'));
    expect(fill(PATTERNS.status)).toBe(statusPath('dev-1'));
    expect(fill(PATTERNS.config)).toBe(configPath('dev-1'));
    expect(fill(PATTERNS.meta)).toBe(metaPath('dev-1'));
    expect(fill(PATTERNS.command)).toBe(commandPath('dev-1', 'c1'));
    expect(fill(PATTERNS.userDevice)).toBe(userDevicePath('u', 'dev-1'));
    expect(fill(PATTERNS.zone)).toBe(zonePath('z'));
    expect(fill(PATTERNS.firmware)).toBe(firmwarePath('stable'));
    expect(fill(PATTERNS.rollup)).toBe(rollupPath('dev-1', '202611212135'));
    expect(fill(PATTERNS.device)).toBe(devicePath('dev-1'));
  });
});
