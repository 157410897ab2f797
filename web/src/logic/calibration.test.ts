import { describe, expect, it } from 'vitest';
import { ConfigSchema, DEFAULT_CONFIG, mapReadingToAngle, validate } from '@firelink/model';
import { checkCalibration, curvePoints, followsCalibration, formFromConfig, mappingCurve } from './calibration.js';

describe('calibration form', () => {
  it('round-trips the default config', () => {
    const check = checkCalibration(formFromConfig(DEFAULT_CONFIG));
    expect(check).toEqual({ ok: true, config: DEFAULT_CONFIG });
  });
  it('puts the model message on each broken field', () => {
    const form = { ...formFromConfig(DEFAULT_CONFIG), inMin: '3000', inMax: '1000', outMax: '200', sampleMs: '' };
    const check = checkCalibration(form);
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.errors['mapping.outMax']).toBe('config.mapping.outMax: must be an integer between 0 and 180 degrees (got 200)');
    expect(check.errors.sampleMs).toBe('config.sampleMs: is required and must be an integer between 100 and 3600000 ms');
    // The same text the model's validate() gives for the whole config contains each field message.
    const whole = validate(ConfigSchema, { mapping: { inMin: 3000, inMax: 1000, outMin: 0, outMax: 180, invert: false }, sampleMs: 1000, heartbeatMs: 30000 }, 'config');
    const crossField = checkCalibration({ ...formFromConfig(DEFAULT_CONFIG), inMin: '3000', inMax: '1000' });
    expect(!whole.ok && !crossField.ok && whole.error.message).toBe(!crossField.ok ? crossField.errors['mapping.inMax'] : '');
  });
  it('refuses fractions and text with the rule', () => {
    const check = checkCalibration({ ...formFromConfig(DEFAULT_CONFIG), inMin: '1.5', heartbeatMs: 'soon' });
    expect(!check.ok && check.errors['mapping.inMin']).toBe('config.mapping.inMin: must be an integer between 0 and 4095 (got 1.5)');
    expect(!check.ok && check.errors.heartbeatMs).toMatch(/^config\.heartbeatMs: must be an integer between 5000 and 3600000 ms/);
  });
});

describe('mapping preview', () => {
  const mapping = { inMin: 1000, inMax: 3000, outMin: 10, outMax: 170, invert: true };
  it('follows the model mapping at every point, bends included', () => {
    const curve = mappingCurve(mapping, 16);
    for (const [ir, angle] of curve) expect(angle).toBe(mapReadingToAngle(ir, mapping));
    expect(curve[0]).toEqual([0, 170]);
    expect(curve.find(([ir]) => ir === 1000)).toEqual([1000, 170]);
    expect(curve.find(([ir]) => ir === 3000)).toEqual([3000, 10]);
    expect(curve.at(-1)).toEqual([4095, 10]);
    expect(curve.map(([ir]) => ir)).toEqual([...curve.map(([ir]) => ir)].sort((a, b) => a - b));
  });
  it('draws into the box, angle 180 at the top', () => {
    expect(curvePoints([[0, 0], [4095, 180]], 200, 100)).toBe('0,100 200,0');
    expect(curvePoints([[2047, 90]], 200, 100)).toBe('99.97,50');
  });
  it('says when the next state follows the saved calibration', () => {
    const angle = mapReadingToAngle(2000, mapping);
    expect(followsCalibration({ ir: 2000, angle, ts: 99 }, mapping, 100)).toBe('waiting');
    expect(followsCalibration({ ir: 2000, angle, ts: 100 }, mapping, 100)).toBe('follows');
    expect(followsCalibration({ ir: 2000, angle: angle + 1, ts: 200 }, mapping, 100)).toBe('differs');
  });
});
