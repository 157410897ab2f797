import { describe, expect, it } from 'vitest';
import { compareKeys, jsonView, setAtPath } from './json-view.js';

describe('jsonView', () => {
  it('reads export-format leaves, priorities and children in key order', () => {
    const view = jsonView({ b: 1, '10': 'x', '9': { '.value': true, '.priority': 3 }, a: {}, '.priority': 'p' });
    expect(view.childKeys()).toEqual(['9', '10', 'b']);
    expect(view.priority()).toBe('p');
    expect(view.child('9').val()).toBe(true);
    expect(view.child('9').priority()).toBe(3);
    expect(view.child('a').exists()).toBe(false);
    expect(view.val()).toEqual({ '9': true, '10': 'x', b: 1 });
    expect(view.child('9').exportVal()).toEqual({ '.value': true, '.priority': 3 });
    expect(view.child('b').child('c').exists()).toBe(false);
  });

  it('orders integer-like keys first (SDK nameCompare)', () => {
    expect(['b', '007', '7', '-1', '2147483648', 'a'].sort(compareKeys)).toEqual(['-1', '7', '007', '2147483648', 'a', 'b']);
  });

  it('treats __proto__ as an ordinary key', () => {
    const root = setAtPath(null, ['__proto__', 'a'], 1);
    expect(jsonView(root).child('__proto__').child('a').val()).toBe(1);
    expect(jsonView({}).child('__proto__').exists()).toBe(false);
    expect(jsonView({}).child('toString').exists()).toBe(false);
  });

  it('setAtPath copies on write and deletes with null', () => {
    const before = { a: { b: 1, c: 2 } };
    const after = setAtPath(before, ['a', 'b'], null);
    expect(after).toEqual({ a: { c: 2 } });
    expect(before).toEqual({ a: { b: 1, c: 2 } });
    expect(setAtPath(1, ['x'], 2)).toEqual({ x: 2 });
  });
});
