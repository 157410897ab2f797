import { describe, expect, it } from 'vitest';
import { ContractError } from './errors.js';
import { DEFAULT_CONFIG, DEFAULT_MAPPING, assertMapping, mapReadingToAngle } from './mapping.js';
import { ConfigSchema } from './schemas/device.js';
import type { Mapping } from './types.js';
import { validate } from './validate.js';

const m = (inMin: number, inMax: number, outMin: number, outMax: number, invert = false): Mapping => ({
  inMin,
  inMax,
  outMin,
  outMax,
  invert,
});

/** Exact reference: round-half-up of the rational, computed with BigInt (no floating point). */
function reference(ir: number, { inMin, inMax, outMin, outMax, invert }: Mapping): number {
  const c = BigInt(Math.min(Math.max(ir, inMin), inMax));
  const span = BigInt(inMax - inMin);
  const offset = invert ? BigInt(inMax) - c : c - BigInt(inMin);
  const num = offset * BigInt(outMax - outMin);
  const q = num / span;
  const twiceRem = 2n * (num % span);
  return outMin + Number(q + (twiceRem >= span ? 1n : 0n));
}

describe('mapReadingToAngle', () => {
  it.each([
    // [name, ir, mapping, angle] hand-computed
    ['default: 0', 0, DEFAULT_MAPPING, 0],
    ['default: 4095', 4095, DEFAULT_MAPPING, 180],
    ['default: 2047 is 89.97', 2047, DEFAULT_MAPPING, 90],
    ['default: 2048 is 90.02', 2048, DEFAULT_MAPPING, 90],
    ['default: 11 is 0.48, rounds down', 11, DEFAULT_MAPPING, 0],
    ['default: 12 is 0.53, rounds up', 12, DEFAULT_MAPPING, 1],
    ['default: 1024 is 45.01', 1024, DEFAULT_MAPPING, 45],
    ['clamps below inMin', -5, DEFAULT_MAPPING, 0],
    ['clamps above inMax', 5000, DEFAULT_MAPPING, 180],
    ['clamps a huge value', Number.MAX_SAFE_INTEGER, DEFAULT_MAPPING, 180],
    ['clamps a huge negative value', -Number.MAX_SAFE_INTEGER, DEFAULT_MAPPING, 0],
    ['custom: below inMin gives outMin', 500, m(1000, 3000, 30, 150), 30],
    ['custom: middle', 2000, m(1000, 3000, 30, 150), 90],
    ['custom: above inMax gives outMax', 3500, m(1000, 3000, 30, 150), 150],
    ['custom: quarter', 1500, m(1000, 3000, 30, 150), 60],
    ['invert: inMin gives outMax', 1000, m(1000, 3000, 30, 150, true), 150],
    ['invert: inMax gives outMin', 3000, m(1000, 3000, 30, 150, true), 30],
    ['invert: quarter mirrors', 1500, m(1000, 3000, 30, 150, true), 120],
    ['invert: clamps below', 0, m(1000, 3000, 30, 150, true), 150],
    ['invert: clamps above', 4095, m(1000, 3000, 30, 150, true), 30],
    ['tie 0.5 rounds up', 1, m(0, 4, 0, 2), 1],
    ['tie 1.5 rounds up', 3, m(0, 4, 0, 2), 2],
    ['tie with offset output', 1, m(0, 2, 100, 101), 101],
    ['inverted tie: mirrored 3 -> 1.5 -> 2', 1, m(0, 4, 0, 2, true), 2],
    ['inverted tie: mirrored 1 -> 0.5 -> 1', 3, m(0, 4, 0, 2, true), 1],
    ['one-step input range', 101, m(100, 101, 0, 180), 180],
  ])('%s', (_, ir, mapping, angle) => {
    expect(mapReadingToAngle(ir, mapping)).toBe(angle);
  });

  it('uses the default calibration when none is given', () => {
    expect(mapReadingToAngle(4095)).toBe(180);
  });

  it('matches the exact rational reference for every reading of several calibrations', () => {
    const calibrations = [DEFAULT_MAPPING, m(0, 4, 0, 2), m(37, 3999, 7, 173, true), m(0, 4094, 0, 1), m(2000, 2001, 0, 180, true), m(1, 4095, 0, 179)];
    for (const mapping of calibrations) {
      const mismatches: number[] = [];
      for (let ir = -2; ir <= 4097; ir++) {
        const angle = mapReadingToAngle(ir, mapping);
        if (angle !== reference(ir, mapping) || !Number.isInteger(angle) || angle < 0 || angle > 180) mismatches.push(ir);
      }
      expect(mismatches, JSON.stringify(mapping)).toEqual([]);
    }
  });

  it('is monotonic: never decreasing, or never increasing when inverted', () => {
    for (const invert of [false, true]) {
      let previous = mapReadingToAngle(0, { ...DEFAULT_MAPPING, invert });
      for (let ir = 1; ir <= 4095; ir++) {
        const angle = mapReadingToAngle(ir, { ...DEFAULT_MAPPING, invert });
        expect(invert ? angle <= previous : angle >= previous).toBe(true);
        previous = angle;
      }
    }
  });

  it.each([
    ['inMin == inMax', m(2000, 2000, 0, 180), 'mapping.inMax', 'must be greater than inMin (got inMin 2000, inMax 2000)'],
    ['inMin > inMax', m(3000, 1000, 0, 180), 'mapping.inMax', 'use invert to reverse the direction'],
    ['outMin == outMax', m(0, 4095, 90, 90), 'mapping.outMax', 'must be greater than outMin (got outMin 90, outMax 90)'],
    ['outMax 181', m(0, 4095, 0, 181), 'mapping.outMax', 'between 0 and 180 degrees (got 181)'],
    ['outMin -1', m(0, 4095, -1, 180), 'mapping.outMin', 'between 0 and 180 degrees (got -1)'],
    ['inMax NaN', m(0, NaN, 0, 180), 'mapping.inMax', 'must be an integer between 0 and 4095 (got NaN)'],
    ['inMin Infinity', m(Infinity, 4095, 0, 180), 'mapping.inMin', 'got Infinity'],
    ['fractional outMax', m(0, 4095, 0, 90.5), 'mapping.outMax', 'must be an integer'],
    ['invert missing', { inMin: 0, inMax: 4095, outMin: 0, outMax: 180 } as Mapping, 'mapping.invert', 'is required'],
    ['an extra key', { ...DEFAULT_MAPPING, gain: 2 } as Mapping, 'mapping', 'unknown key "gain"'],
  ])('rejects a calibration with %s', (_, mapping, field, rule) => {
    let caught: unknown;
    try {
      mapReadingToAngle(100, mapping);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ContractError);
    const err = caught as ContractError;
    expect(err.code).toBe('invalid-mapping');
    expect(err.field).toBe(field);
    expect(err.message).toContain(`${field}: `);
    expect(err.message).toContain(rule);
  });

  it.each([
    ['NaN', NaN, 'got NaN'],
    ['Infinity', Infinity, 'got Infinity'],
    ['a fraction', 1.5, 'got 1.5'],
    ['a string', '12' as unknown as number, 'got "12"'],
    ['null', null as unknown as number, 'got null'],
  ])('rejects an ir of %s', (_, ir, got) => {
    expect(() => mapReadingToAngle(ir)).toThrow(`ir: must be an integer (${got}`);
  });

  it('assertMapping returns a valid calibration unchanged', () => {
    expect(assertMapping(m(1, 2, 3, 4, true))).toEqual(m(1, 2, 3, 4, true));
  });
});

describe('DEFAULT_CONFIG', () => {
  it('is a valid, frozen config with the documented defaults', () => {
    expect(validate(ConfigSchema, DEFAULT_CONFIG, 'config').ok).toBe(true);
    expect(DEFAULT_CONFIG).toEqual({
      mapping: { inMin: 0, inMax: 4095, outMin: 0, outMax: 180, invert: false },
      sampleMs: 1000,
      heartbeatMs: 30_000,
    });
    expect(Object.isFrozen(DEFAULT_CONFIG)).toBe(true);
    expect(Object.isFrozen(DEFAULT_CONFIG.mapping)).toBe(true);
  });
});
