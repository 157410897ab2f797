import { describe, expect, it } from 'vitest';
import { applyPatch, applyPut, getAt, type Json } from './tree.js';

describe('streamed tree', () => {
  it('applies put at the root and below', () => {
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

  it('drops empty objects like RTDB does', () => {
    expect(applyPut(null, '/a', { b: {}, c: null })).toBeNull();
  });
});
