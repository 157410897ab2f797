// Golden cases for the key order and key checks, from the SDK's rules
// (@firebase/database src/core/util/util.ts nameCompare/tryParseInt, validation.ts).
import { describe, expect, it } from 'vitest';
import { MAX_NAME, MIN_NAME, integerKey, isValidKey, keyProblem, nameCompare } from './keys.js';

describe('nameCompare', () => {
  it('sorts 32-bit-integer-like keys first, numerically, shorter first among equal values, then UTF-16 order', () => {
    const keys = ['b', '2147483648', 'a', '10', '-5', '007', '7', '12345678901', '-2147483649', 'A', '07', '9', '1.5', '0000000000001', '00000000001', '1', '2147483647', '-2147483648'];
    expect([...keys].sort(nameCompare)).toEqual([
      '-2147483648',
      '-5',
      '1',
      '00000000001', // 11 characters: the regex allows any leading zeros before 1..10 digits
      '0000000000001',
      '7',
      '07',
      '007',
      '9',
      '10',
      '2147483647',
      '-2147483649', // outside int32: a string
      '1.5',
      '12345678901', // 11 digits without leading zeros: a string
      '2147483648',
      'A',
      'a',
      'b',
    ]);
  });

  it('treats "-0" as the integer 0, after "0"', () => {
    expect(['-0', '0', '00'].sort(nameCompare)).toEqual(['0', '-0', '00']);
  });

  it('knows the sentinels', () => {
    expect(nameCompare(MIN_NAME, '-2147483648')).toBeLessThan(0);
    expect(nameCompare('zzz', MAX_NAME)).toBeLessThan(0);
    expect(nameCompare(MAX_NAME, MIN_NAME)).toBeGreaterThan(0);
    expect(nameCompare('x', 'x')).toBe(0);
  });

  it('parses integer keys as tryParseInt does', () => {
    expect(integerKey('2147483647')).toBe(2147483647);
    expect(integerKey('2147483648')).toBeNull();
    expect(integerKey('-2147483648')).toBe(-2147483648);
    expect(integerKey('00012')).toBe(12);
    expect(integerKey('+1')).toBeNull();
    expect(integerKey('1e3')).toBeNull();
    expect(integerKey(' 1')).toBeNull();
    expect(integerKey('')).toBeNull();
  });
});

describe('key checks', () => {
  it.each(['a.b', 'a#', 'a$', 'a[', 'a]', 'a/b', '', 'a\u0001', 'x\u007f'])('rejects %j', (key) => {
    expect(isValidKey(key)).toBe(false);
    expect(keyProblem(key)).toBeDefined();
  });

  it.each(['ünïcødé', 'a-b_c', 'with space', '🙂', '(x)', 'a,b', '__proto__', 'constructor'])('accepts %j', (key) => {
    expect(isValidKey(key)).toBe(true);
    expect(keyProblem(key)).toBeUndefined();
  });

  it('limits a key to 768 bytes of UTF-8 in keyProblem', () => {
    expect(keyProblem('€'.repeat(256))).toBeUndefined();
    expect(keyProblem('€'.repeat(257))).toMatch(/768 bytes of UTF-8 \(got 771\)/);
  });
});
