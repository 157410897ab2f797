// Golden cases for query order (@firebase/database src/core/snap/indexes/ValueIndex.ts,
// PathIndex.ts, KeyIndex.ts; LeafNode.ts VALUE_TYPE_ORDER).
import { describe, expect, it } from 'vitest';
import { compareValues, orderedChildren } from './order.js';
import type { Json } from './tree.js';

const keys = (entries: [string, Json][]) => entries.map(([k]) => k);

describe('compareValues', () => {
  it('orders null, false, true, numbers, strings, then objects', () => {
    const values: Json[] = ['a', { x: 1 }, 10, true, null, '', -1, false, 'A', 2.5, '10', 0];
    expect([...values].sort(compareValues)).toEqual([null, false, true, -1, 0, 2.5, 10, '', '10', 'A', 'a', { x: 1 }]);
  });
});

describe('orderedChildren', () => {
  it('by key uses the integer rule (leading zeros included)', () => {
    expect(keys(orderedChildren({ b: 1, '007': 1, '10': 1, '7': 1, '08': 1 }, { kind: 'key' }))).toEqual(['7', '007', '08', '10', 'b']);
  });

  it('by value breaks ties by key', () => {
    expect(keys(orderedChildren({ z: 1, '10': 1, '9': 1, a: 'x', n: null }, { kind: 'value' }))).toEqual(['n', '9', '10', 'z', 'a']);
  });

  it('by child: missing first, non-leaf children last, ties by key', () => {
    const result = { c: { ir: 5 }, a: { ir: 9 }, b: { ir: 5 }, d: { x: 1 }, e: { ir: 'str' }, f: { ir: { deep: 1 } } };
    expect(keys(orderedChildren(result, { kind: 'child', child: 'ir' }))).toEqual(['d', 'b', 'c', 'a', 'e', 'f']);
  });

  it('by a deep child path, with arrays as objects keyed by index', () => {
    expect(keys(orderedChildren([{ l: { n: 2 } }, { l: { n: 1 } }], { kind: 'child', child: 'l/n' }))).toEqual(['1', '0']);
    expect(orderedChildren(5, { kind: 'key' })).toEqual([]);
  });
});
