import { describe, expect, it } from 'vitest';
import { ContractError } from './errors.js';
import {
  assertChannel,
  assertDeviceId,
  assertKey,
  assertMinuteKey,
  assertPushId,
  assertUid,
  assertZoneId,
} from './keys.js';
import { isValidKey, keyProblem } from './rtdb/keys.js';

const rtdbForbidden = ['.', '#', '$', '[', ']', '/', '\u0000', '\u001f', '\u007f'];

describe('keyProblem (RTDB key rules)', () => {
  it.each(['a', '-NaBc_123', 'Küche', 'x'.repeat(768), 'é'.repeat(384), 'with space'])('accepts %j', (key) => {
    expect(keyProblem(key)).toBeUndefined();
    expect(isValidKey(key)).toBe(true);
  });

  it.each(rtdbForbidden.map((c) => [JSON.stringify(c), `a${c}b`] as const))('rejects a key containing %s', (_, key) => {
    expect(keyProblem(key)).toMatch(/must not contain \. # \$ \[ \] \/ or control characters \(found .+ at index 1\)/);
    expect(isValidKey(key)).toBe(false);
  });

  it.each([
    ['empty', '', 'must not be empty'],
    ['769 ASCII bytes', 'x'.repeat(769), 'at most 768 bytes of UTF-8 (got 769)'],
    ['385 two-byte characters', 'é'.repeat(385), 'at most 768 bytes of UTF-8 (got 770)'],
    ['a number', 5, 'must be a string (got 5)'],
    ['null', null, 'must be a string (got null)'],
  ])('rejects %s', (_, key, rule) => {
    expect(keyProblem(key)).toContain(rule);
    // The SDK's own check is about characters only; the length is the path's limit.
    expect(isValidKey(key)).toBe(typeof key === 'string' && key.length > 0);
  });
});

describe('id assertions', () => {
  const cases: Array<[string, (v: unknown) => string, string, string[], string[]]> = [
    ['deviceId', assertDeviceId, 'deviceId', ['ab', 'dev-1', '0x', 'a'.repeat(63), 'esp32-aabbccddeeff'], ['a', 'A1', '-ab', 'a_b', 'a.b', 'a/b', 'a'.repeat(64), 'dev 1', 'dév']],
    ['zoneId', assertZoneId, 'zoneId', ['k', 'kitchen', 'floor-2'], ['', 'Kitchen', '-k', 'a#b', 'z'.repeat(64)]],
    ['channel', assertChannel, 'channel', ['stable', 'beta-2'], ['', 'Stable', 'a'.repeat(33), 'a$b']],
    ['pushId', (v) => assertPushId(v, 'readingId'), 'readingId', ['-NaBcDeFgHiJkLmNoPqR', 'A_b-9', 'a'.repeat(64)], ['', 'a.b', 'a b', 'a'.repeat(65), 'é']],
    ['uid', assertUid, 'uid', ['uid', 'u'.repeat(128), 'Mixed_Case-123', 'with space'], ['', 'a/b', 'a.b', 'u'.repeat(129)]],
    ['minuteKey', assertMinuteKey, 'minuteKey', ['202611212135'], ['20261121213', '2026-11-21', '']],
    ['key', assertKey, 'key', ['anything goes'], ['a]b', '']],
  ];
  for (const [label, fn, argName, good, bad] of cases) {
    it.each(good)(`${label} accepts %j`, (v) => expect(fn(v)).toBe(v));
    it.each(bad)(`${label} rejects %j naming the argument`, (v) => {
      let caught: unknown;
      try {
        fn(v);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(ContractError);
      const err = caught as ContractError;
      expect(err.code).toBe('invalid-key');
      expect(err.field).toBe(argName);
      expect(err.message.startsWith(`${argName}: must`)).toBe(true);
    });
  }

  it('names a custom argument', () => {
    expect(() => assertDeviceId('A', 'targetDevice')).toThrow(/^targetDevice: must be 2\.\.63 characters/);
  });
});
