// Hash reference vectors from docs/protocol.md §9 (computed with a port verified against the SDK).
import { describe, expect, it } from 'vitest';
import { doubleToIEEE754String, nodeHash } from './hash.js';
import { parseNode } from './parse.js';

const hashOf = (json: unknown): string => nodeHash(parseNode(json, null, [], { nowMs: 0 }));

describe('nodeHash', () => {
  it.each([
    [5, 'w28swksk9+tXf5jEdS9R5oSFAv8='],
    [true, 'E5z61QM0lN/U2WsOnusszCTkR8M='],
    [false, 'aSSNoqcS4oQwJ2xxH20rvpp3zP0='],
    ['hello', 'z6sRbrNLwbHX5fdjpvsTtWgXUFc='],
    [-1.5, 'M56MQ4H2xiM8kwGXZUDuLOryQxM='],
    [{ a: 1, b: 'x' }, 'jRI9dwRS9sb4SWm8uuoN7+xBk4g='],
    [{ '.value': 'x', '.priority': 5 }, 'r7F6VPxCzGOC+y8S8XLO1QeQxfY='],
    [null, ''],
    [{}, ''],
  ])('hash(%j) = %s', (value, expected) => {
    expect(hashOf(value)).toBe(expected);
  });

  it('normalises -0 to 0 so it hashes like the 0 the client sees', () => {
    expect(hashOf(-0)).toBe(hashOf(0));
  });

  it('walks children in priority order, not key order', () => {
    const byKey = hashOf({ a: { '.value': 1, '.priority': 2 }, b: { '.value': 1, '.priority': 1 } });
    const same = hashOf({ b: { '.value': 1, '.priority': 1 }, a: { '.value': 1, '.priority': 2 } });
    expect(byKey).toBe(same);
    expect(byKey).not.toBe(hashOf({ a: 1, b: 1 }));
  });
});

describe('doubleToIEEE754String (literal port of the SDK routine)', () => {
  it('matches the exact encoding for ordinary numbers', () => {
    for (const v of [1, -1, 0.1, 123456.789, 3e6, 2 ** 40 + 1]) {
      const buf = Buffer.alloc(8);
      buf.writeDoubleBE(v);
      expect(doubleToIEEE754String(v), String(v)).toBe(buf.toString('hex'));
    }
  });

  it('reproduces the SDK inexactness at 2^-29 (differs from writeDoubleBE)', () => {
    const buf = Buffer.alloc(8);
    buf.writeDoubleBE(2 ** -29);
    // floor(log(2^-29)/LN2) = -30 in IEEE arithmetic, so the SDK emits a different pattern.
    expect(doubleToIEEE754String(2 ** -29)).not.toBe(buf.toString('hex'));
  });

  it('encodes negative zero with the sign bit', () => {
    expect(doubleToIEEE754String(-0)).toBe('8000000000000000');
    expect(doubleToIEEE754String(0)).toBe('0000000000000000');
  });
});
