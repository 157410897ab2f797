import { describe, expect, it } from 'vitest';
import { contentFingerprint } from './fingerprint.js';
import { parseNode } from './parse.js';

const fp = (json: unknown): string => contentFingerprint(parseNode(json, null, [], { nowMs: 0 }));

describe('contentFingerprint', () => {
  it('is the same for the same content, whatever the key order', () => {
    expect(fp({ a: 1, b: { c: 'x', d: true } })).toBe(fp({ b: { d: true, c: 'x' }, a: 1 }));
  });

  it('is empty for no data', () => {
    expect(fp(null)).toBe('');
    expect(fp({})).toBe('');
  });

  it.each([
    [{ a: 1 }, { a: 2 }],
    [{ a: 1 }, { a: '1' }],
    [{ a: true }, { a: 'true' }],
    [{ a: 0.1 + 0.2 }, { a: 0.3 }],
    [{ a: 1 }, { b: 1 }],
    [{ a: 1 }, { a: 1, b: 1 }],
    [{ a: { b: 1 } }, { ab: 1 }],
    [{ a: { '.value': 1, '.priority': 1 } }, { a: 1 }],
    [{ a: { '.value': 1, '.priority': 1 } }, { a: { '.value': 1, '.priority': '1' } }],
    [{ '.priority': 2, a: 1 }, { a: 1 }],
    [{ a: 'x",' }, { a: 'x', '",': 1 }],
  ])('tells %j from %j', (a, b) => {
    expect(fp(a)).not.toBe(fp(b));
  });
});
