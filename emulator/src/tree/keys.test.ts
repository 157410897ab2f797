import { describe, expect, it } from 'vitest';
import { integerKey, isValidKey, MAX_NAME, MIN_NAME, nameCompare, pathProblem } from './keys.js';

describe('nameCompare (core/util/util.ts)', () => {
  it('puts integer-like keys first, numerically, shorter first on ties', () => {
    const keys = ['b', '10', '-5', '007', '7', 'a', '2147483648', '9', '07', 'A'];
    expect([...keys].sort(nameCompare)).toEqual(['-5', '7', '07', '007', '9', '10', '2147483648', 'A', 'a', 'b']);
  });

  it('knows the sentinels', () => {
    expect(nameCompare(MIN_NAME, '-99')).toBeLessThan(0);
    expect(nameCompare('zzz', MAX_NAME)).toBeLessThan(0);
    expect(nameCompare(MAX_NAME, MIN_NAME)).toBeGreaterThan(0);
  });

  it('integer-like means 32-bit with optional leading zeros', () => {
    expect(integerKey('2147483647')).toBe(2147483647);
    expect(integerKey('2147483648')).toBeNull();
    expect(integerKey('-2147483648')).toBe(-2147483648);
    expect(integerKey('00012')).toBe(12);
    expect(integerKey('1.5')).toBeNull();
    expect(integerKey('')).toBeNull();
  });
});

describe('key and path validation', () => {
  it.each(['a.b', 'a#', 'a$', 'a[', 'a]', 'a/b', '', 'a\u0001', 'x\u007f'])('rejects %j', (key) => {
    expect(isValidKey(key)).toBe(false);
  });

  it('accepts unicode and punctuation other than the forbidden set', () => {
    for (const key of ['ünïcødé', 'a-b_c', 'with space', '🙂', '(x)', 'a,b']) expect(isValidKey(key)).toBe(true);
  });

  it('limits depth to 32 and path length to 768 bytes', () => {
    expect(pathProblem(Array.from({ length: 32 }, () => 'a'))).toBeNull();
    expect(pathProblem(Array.from({ length: 33 }, () => 'a'))).toMatch(/deeper than 32/);
    expect(pathProblem(['x'.repeat(768)])).toBeNull();
    expect(pathProblem(['x'.repeat(769)])).toMatch(/768 bytes/);
  });

  it('allows .priority only as the last segment of a write path', () => {
    expect(pathProblem(['a', '.priority'], true)).toBeNull();
    expect(pathProblem(['a', '.priority'])).not.toBeNull();
    expect(pathProblem(['.priority', 'a'], true)).not.toBeNull();
  });
});
