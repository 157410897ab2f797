import { describe, expect, it } from 'vitest';
import { applyPatch, applyPut, getAt, normalise, type Json } from './tree.js';

describe('put and patch', () => {
  it('applies put at the root and below; null deletes and empty parents vanish', () => {
    let tree: Json = applyPut(null, '/', { angle: 10, lcd: { line1: 'a', line2: 'b' } });
    tree = applyPut(tree, '/lcd/line1', 'c');
    expect(tree).toEqual({ angle: 10, lcd: { line1: 'c', line2: 'b' } });
    tree = applyPut(tree, '/lcd', null);
    expect(tree).toEqual({ angle: 10 });
    expect(applyPut(tree, '/angle', null)).toBeNull();
  });

  it('applies patch with deep keys and deletions without touching the old tree', () => {
    const before: Json = { a: { x: 1, y: 2 }, b: 3 };
    const after = applyPatch(before, '/', { 'a/x': 5, b: null, c: { d: 1 } });
    expect(after).toEqual({ a: { x: 5, y: 2 }, c: { d: 1 } });
    expect(before).toEqual({ a: { x: 1, y: 2 }, b: 3 });
    expect(getAt(after, '/a/x')).toBe(5);
    expect(getAt(after, 'zz/q')).toBeNull();
  });

  it('stores arrays as objects keyed by index, without nulls or empty objects', () => {
    expect(normalise([1, null, { a: {} }, 4])).toEqual({ '0': 1, '3': 4 });
    expect(applyPut(null, '/a', { b: {}, c: null })).toBeNull();
  });

  it('keeps __proto__ and constructor keys as data, never touching prototypes', () => {
    const tree = applyPut(null, '/__proto__/x', 1);
    expect(Object.getPrototypeOf(tree)).toBe(Object.prototype);
    expect(Object.keys(tree as object)).toEqual(['__proto__']);
    expect(getAt(tree, '__proto__/x')).toBe(1);
    const patched = applyPatch(JSON.parse('{"a":1}') as Json, '/', JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":2}}') as { [key: string]: Json });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(getAt(patched, '__proto__/polluted')).toBe(true);
    expect(getAt(patched, 'constructor/prototype')).toBe(2);
    expect(JSON.parse(JSON.stringify(patched))).toEqual(JSON.parse('{"a":1,"__proto__":{"polluted":true},"constructor":{"prototype":2}}'));
    expect(getAt({ a: 1 }, '__proto__')).toBeNull();
    expect(getAt({ a: 1 }, 'toString')).toBeNull();
  });
});
