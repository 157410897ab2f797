import { describe, expect, it } from 'vitest';
import { nameCompare } from '@firelink/model';
import { buildQuery, formatOrdered, orderResult, parseJsonValue, parseOrderBy, parseQueryValue } from './data.js';

describe('query flags', () => {
  it('parses order and bounds', () => {
    expect(parseOrderBy('key')).toEqual({ kind: 'key' });
    expect(parseOrderBy('value')).toEqual({ kind: 'value' });
    expect(parseOrderBy('child:lcd/line1')).toEqual({ kind: 'child', child: 'lcd/line1' });
    expect(parseOrderBy('ts')).toEqual({ kind: 'child', child: 'ts' });
    expect(() => parseOrderBy('child:')).toThrow(/name the child/);
    expect(parseQueryValue('100', 'x')).toBe(100);
    expect(parseQueryValue('"100"', 'x')).toBe('100');
    expect(parseQueryValue('abc', 'x')).toBe('abc');
    expect(parseQueryValue('null', 'x')).toBeNull();
    expect(() => parseQueryValue('{"a":1}', '--start-at')).toThrow(/--start-at/);
    expect(buildQuery({ orderBy: 'seq', startAt: '5', limitFirst: 2 })).toEqual({ orderBy: { kind: 'child', child: 'seq' }, startAt: 5, limitToFirst: 2 });
    expect(() => buildQuery({ orderBy: 'key', limitFirst: 1, limitLast: 1 })).toThrow(/not both/);
    expect(() => buildQuery({ orderBy: 'key', equalTo: '1', startAt: '1' })).toThrow(/--equal-to/);
    expect(() => buildQuery({ orderBy: 'key', limitFirst: 0 })).toThrow(/positive/);
    expect(() => parseJsonValue('hello', 'value')).toThrow(/must be JSON/);
  });
});

describe('orderResult', () => {
  it('orders keys like RTDB: integer-like keys numerically, then strings', () => {
    expect(['b', '10', '2', 'a', '-1'].sort(nameCompare)).toEqual(['-1', '2', '10', 'a', 'b']);
  });

  it('treats keys with leading zeros as integers, like the SDK (shorter first on ties)', () => {
    const result = orderResult({ b: 1, '007': 1, '10': 1, '7': 1, '08': 1 }, { kind: 'key' });
    expect(result.map(([k]) => k)).toEqual(['7', '007', '08', '10', 'b']);
  });

  it('prints the result as a JSON object whose text keeps query order (JS objects would not)', () => {
    const text = formatOrdered({ b: { v: 1 }, '10': 2, '7': 3 }, { kind: 'value' });
    expect([...text.matchAll(/^ {2}"([^"]+)"/gm)].map((m) => m[1])).toEqual(['10', '7', 'b']);
    expect(JSON.parse(text)).toEqual({ b: { v: 1 }, '10': 2, '7': 3 });
  });

  it('orders by child then key, missing children first', () => {
    const result = orderResult({ c: { ir: 5 }, a: { ir: 9 }, b: { ir: 5 }, d: { x: 1 }, e: { ir: 'str' } }, { kind: 'child', child: 'ir' });
    expect(result.map(([k]) => k)).toEqual(['d', 'b', 'c', 'a', 'e']);
  });

  it('orders by value across types', () => {
    const result = orderResult({ a: 'x', b: 3, c: true, d: false, e: 1 }, { kind: 'value' });
    expect(result.map(([k]) => k)).toEqual(['d', 'c', 'e', 'b', 'a']);
  });
});
