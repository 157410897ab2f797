import { describe, expect, it } from 'vitest';
import { ContractError, describeValue } from './errors.js';
import { CommandCreateSchema, ConfigSchema, ReadingWriteSchema } from './schemas/device.js';
import { ZoneSchema } from './schemas/global.js';
import { parseOrThrow, validate } from './validate.js';

describe('error messages name the field and the rule', () => {
  it.each([
    ['out of range', ReadingWriteSchema, 'reading', { ir: 5000, seq: 1 }, 'reading.ir: must be an integer between 0 and 4095 (got 5000)'],
    ['missing', ReadingWriteSchema, 'reading', { seq: 1 }, 'reading.ir: is required and must be an integer between 0 and 4095'],
    ['NaN', ReadingWriteSchema, 'reading', { ir: NaN, seq: 1 }, 'reading.ir: must be an integer between 0 and 4095 (got NaN)'],
    ['wrong type', ReadingWriteSchema, 'reading', { ir: '12', seq: 1 }, 'reading.ir: must be an integer between 0 and 4095 (got "12" (2 chars))'],
    ['unknown key', ReadingWriteSchema, 'reading', { ir: 1, seq: 1, foo: 1 }, 'reading: unknown key "foo" not allowed; allowed keys: ir, temp, light, seq, deviceTs'],
    ['forbidden key', ReadingWriteSchema, 'reading', { ir: 1, seq: 1, 'a/b': 1 }, 'reading: key "a/b" is not a valid database key (no . # $ [ ] / or control characters); allowed keys: ir, temp, light, seq, deviceTs'],
    ['not an object', ReadingWriteSchema, 'reading', [], 'reading: must be an object with keys ir, temp, light, seq, deviceTs (got an array of 0)'],
    [
      'degenerate calibration',
      ConfigSchema,
      'config',
      { mapping: { inMin: 7, inMax: 7, outMin: 0, outMax: 180, invert: false }, sampleMs: 1000, heartbeatMs: 30_000 },
      'config.mapping.inMax: must be greater than inMin (got inMin 7, inMax 7); the input range must not be empty or reversed, use invert to reverse the direction',
    ],
    ['unknown command type', CommandCreateSchema, 'command', { type: 'dance', createdAt: 1 }, 'command.type: must be one of reboot, calibrate, set-angle, identify, reconnect (got "dance" (5 chars))'],
    ['missing command type', CommandCreateSchema, 'command', { createdAt: 1 }, 'command.type: is required and must be one of reboot, calibrate, set-angle, identify, reconnect'],
    ['bad map key', ZoneSchema, 'zone', { devices: { 'a.b': true } }, 'zone.devices["a.b"]: key must be a device id: must be 2..63 characters'],
  ])('%s', (_, schema, root, value, message) => {
    const result = validate(schema, value, root);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message.startsWith(message)).toBe(true);
  });

  it('lists every broken rule, separated by "; ", and names the first field', () => {
    const result = validate(ReadingWriteSchema, { ir: -1, seq: 1.5, temp: 999 }, 'reading');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.field).toBe('reading.ir');
    expect(result.error.message.split('; ')).toEqual([
      'reading.ir: must be an integer between 0 and 4095 (got -1)',
      'reading.temp: must be a finite number between -55 and 125 (degrees Celsius) (got 999)',
      'reading.seq: must be an integer between 0 and 4294967295 (got 1.5)',
    ]);
  });

  it('parseOrThrow returns the value or throws a ContractError', () => {
    expect(parseOrThrow(ReadingWriteSchema, { ir: 1, seq: 2 }, 'reading')).toEqual({ ir: 1, seq: 2 });
    expect(() => parseOrThrow(ReadingWriteSchema, { ir: 1 }, 'reading')).toThrow(ContractError);
    expect(() => parseOrThrow(ReadingWriteSchema, { ir: 1 }, 'reading')).toThrow(/^reading\.seq: is required/);
  });
});

describe('describeValue', () => {
  it.each([
    [undefined, 'undefined'],
    [null, 'null'],
    [NaN, 'NaN'],
    [-Infinity, '-Infinity'],
    [true, 'true'],
    ['ab', '"ab" (2 chars)'],
    ['x'.repeat(100), `"${'x'.repeat(40)}..." (100 chars)`],
    [[1, 2], 'an array of 2'],
    [{ a: 1 }, 'an object'],
  ])('%j -> %s', (value, text) => {
    expect(describeValue(value)).toBe(text);
  });
});
