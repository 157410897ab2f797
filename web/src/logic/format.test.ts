import { describe, expect, it } from 'vitest';
import { formatAgo, formatAngle, formatNumber, formatTemp, formatTime, lcdCells, formatOnline } from './format.js';

describe('format', () => {
  const now = Date.UTC(2026, 11, 2, 6, 0, 0);
  it('says how long ago, in whole units', () => {
    expect(formatAgo(now, undefined)).toBe('never');
    expect(formatAgo(now, now)).toBe('just now');
    expect(formatAgo(now, now + 5000)).toBe('just now');
    expect(formatAgo(now, now - 12_400)).toBe('12 s ago');
    expect(formatAgo(now, now - 5 * 60_000 - 1)).toBe('5 min ago');
    expect(formatAgo(now, now - 3 * 3_600_000)).toBe('3 h ago');
    expect(formatAgo(now, now - 3 * 86_400_000)).toBe('3 d ago');
  });
  it('prints times in UTC and values with units', () => {
    expect(formatTime(now + 5000)).toBe('2026-12-02 06:00:05 UTC');
    expect(formatTime(undefined)).toBe('—');
    expect(formatAngle(90)).toBe('90°');
    expect(formatAngle(0)).toBe('0°');
    expect(formatAngle(undefined)).toBe('—');
    expect(formatNumber(2047.6)).toBe('2048');
    expect(formatNumber(12.345, 1)).toBe('12.3');
    expect(formatNumber(Number.NaN)).toBe('—');
    expect(formatTemp(21.04)).toBe('21.0 °C');
    expect(formatOnline(true)).toBe('online');
    expect(formatOnline(false)).toBe('offline');
    expect(formatOnline(undefined)).toBe('unknown');
  });
  it('pads LCD lines to the 16 columns', () => {
    expect(lcdCells('IR 2048')).toBe('IR 2048         ');
    expect(lcdCells('IR 2048').length).toBe(16);
    expect(lcdCells('x'.repeat(20))).toBe('x'.repeat(16));
  });
});
