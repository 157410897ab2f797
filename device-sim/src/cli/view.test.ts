import { formatLcd } from '@firelink/model';
import { describe, expect, it } from 'vitest';
import type { DeviceView } from '../device/device.js';
import { renderView } from './view.js';

const base: DeviceView = {
  deviceId: 'dev-1',
  transport: 'rest',
  online: true,
  lcd: formatLcd({ ir: 2048, angle: 90 }),
  angle: 90,
  lastIr: 2048,
  lastReadingId: '-Nabc',
  taken: 3,
  queued: 0,
  sent: 3,
  acked: 3,
  stateUpdates: 3,
  sampleMs: 1000,
  heartbeatMs: 30000,
  identifyUntilMs: 0,
  lastError: null,
};

describe('renderView', () => {
  it('shows the two LCD lines in a 16-column frame and the servo angle', () => {
    const lines = renderView(base, 0);
    expect(lines[0]).toContain('ONLINE');
    expect(lines[2]).toBe('│IR 2048         │   servo  90 deg');
    expect(lines[3]).toMatch(/^│Servo {2}90 deg {3}│ {3}\[=+>\.+\]$/);
    expect(lines[3]!.split('[')[1]!.indexOf('>')).toBe(14);
  });

  it('shows a missing angle, offline state, identify and the last error', () => {
    const lines = renderView({ ...base, angle: null, online: false, identifyUntilMs: 10_000, lastError: 'boom' }, 0);
    expect(lines[0]).toContain('OFFLINE');
    expect(lines[0]).toContain('IDENTIFY');
    expect(lines[2]).toContain('servo  -- deg');
    expect(lines.at(-1)).toBe('last error: boom');
  });
});
