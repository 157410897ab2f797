import { DEFAULT_CONFIG, formatLcd } from '@firelink/model';
import { describe, expect, it } from 'vitest';
import { configFrom, stateFrom } from './appliers.js';

describe('appliers', () => {
  it('configFrom: defaults for no config, the message of the broken rule for a bad one', () => {
    expect(configFrom(null)).toEqual({ ok: true, config: DEFAULT_CONFIG });
    const bad = configFrom({ ...DEFAULT_CONFIG, sampleMs: 5 });
    expect(bad.ok).toBe(false);
    expect(bad.ok ? '' : bad.error).toMatch(/config\.sampleMs/);
  });

  it('stateFrom: the LCD lines, or lines formatted from ir and angle when missing', () => {
    expect(stateFrom({ angle: 90, ir: 2048, readingId: 'r1', lcd: { line1: 'a', line2: 'b' } })).toEqual({ angle: 90, lcd: { line1: 'a', line2: 'b' }, readingId: 'r1' });
    expect(stateFrom({ angle: 45, ir: 100 })).toEqual({ angle: 45, lcd: formatLcd({ ir: 100, angle: 45 }), readingId: null });
    expect(stateFrom(null)).toBeNull();
    expect(stateFrom([1])).toBeNull();
  });
});
