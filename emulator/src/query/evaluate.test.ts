import { describe, expect, it } from 'vitest';
import { parseNode } from '../tree/parse.js';
import { selectKeys } from './evaluate.js';
import { parseRestQuery } from './rest-params.js';
import { parseWireQuery, rulesQuery, toWireQuery } from './spec.js';

const node = (json: unknown) => parseNode(json, null, [], { nowMs: 0 });

describe('value ordering (docs/protocol.md §15)', () => {
  const data = node({ n: null, f: false, t: true, one: 1, two: 2, s1: 'a', s2: 'b', o: { x: 1 }, o2: { y: 1 } });
  it('orders null < false < true < numbers < strings < objects, ties by key', () => {
    // null children do not exist, so `n` is absent.
    expect(selectKeys(data, parseWireQuery({ i: '.value', sp: null, sin: true }))).toEqual(['f', 't', 'one', 'two', 's1', 's2', 'o', 'o2']);
  });
  it('orders by child with absent children first', () => {
    const d = node({ a: { h: 3 }, b: {'z': 1}, c: { h: 'x' }, d: { h: 1 }, e: { h: true } });
    expect(selectKeys(d, parseWireQuery({ i: 'h', l: 5, vf: 'l' }))).toEqual(['b', 'e', 'd', 'a', 'c']);
  });
});

describe('ranges and limits', () => {
  const d = node({ k1: { age: 3 }, k2: { age: 1 }, k3: { age: 3 }, k4: { age: 5 } });
  it.each([
    [{ i: 'age', sp: 3, sin: true }, ['k1', 'k3', 'k4']],
    [{ i: 'age', sp: 3, sn: 'k3', sin: true }, ['k3', 'k4']],
    [{ i: 'age', sp: 3, sn: '[MAX_NAME]', sin: false }, ['k4']],
    [{ i: 'age', ep: 3, ein: true }, ['k2', 'k1', 'k3']],
    [{ i: 'age', ep: 3, en: '[MIN_NAME]', ein: false }, ['k2']],
    [{ i: 'age', sp: 3, sin: true, ep: 3, ein: true }, ['k1', 'k3']],
    [{ i: 'age', l: 2, vf: 'r' }, ['k3', 'k4']],
    [{ i: 'age', sp: 1, sin: true, l: 2, vf: 'l' }, ['k2', 'k1']],
    [{ i: '.key', sp: 'k2', sin: true, ep: 'k3', ein: true }, ['k2', 'k3']],
    [{ i: '.key', sp: 'k2', sin: false }, ['k3', 'k4']],
    [{ i: '.key', ep: 'k3', ein: false }, ['k1', 'k2']],
    [{ l: 1, vf: 'l' }, ['k1']],
  ])('%j', (q, expected) => {
    expect(selectKeys(d, parseWireQuery(q))).toEqual(expected);
  });

  it('integer-like keys order numerically under orderByKey', () => {
    const n = node({ '10': 1, '9': 1, '100': 1, a: 1, '-1': 1 });
    expect(selectKeys(n, parseWireQuery({ i: '.key', l: 10, vf: 'l' }))).toEqual(['-1', '9', '10', '100', 'a']);
    expect(selectKeys(n, parseWireQuery({ i: '.key', sp: '9', sin: true, ep: '100', ein: true }))).toEqual(['9', '10', '100']);
  });

  it('orders by priority: none, numbers, strings', () => {
    const n = node({ a: { '.value': 1, '.priority': 'z' }, b: { '.value': 1, '.priority': 2 }, c: 1, d: { '.value': 1, '.priority': 1 } });
    expect(selectKeys(n, parseWireQuery({ l: 4, vf: 'l' }))).toEqual(['c', 'd', 'b', 'a']);
    expect(selectKeys(n, parseWireQuery({ sp: 2, sin: true }))).toEqual(['b', 'a']);
  });

  it('a leaf has no children to select', () => {
    expect(selectKeys(node(5), parseWireQuery({ l: 1, vf: 'l' }))).toEqual([]);
  });
});

describe('query parsing', () => {
  it('round-trips the wire object', () => {
    const q = { sp: 1, sn: 'k2', sin: false, l: 2, vf: 'r', i: 'age' };
    expect(toWireQuery(parseWireQuery(q))).toEqual(q);
  });
  it('treats sp:null as a bound (presence, not truthiness)', () => {
    expect(parseWireQuery({ sp: null, sin: true, i: '.value' }).start).not.toBeNull();
  });
  it('rejects malformed wire queries', () => {
    expect(() => parseWireQuery({ l: -1, vf: 'l' })).toThrow(/positive integer/);
    expect(() => parseWireQuery({ i: '.key', sp: 5 })).toThrow(/string/);
    expect(() => parseWireQuery({ sp: { a: 1 } })).toThrow(/bound/);
    expect(() => parseWireQuery('x')).toThrow(/query/);
  });
  it('parses REST parameters, with key tie-breakers', () => {
    const { spec } = parseRestQuery(new URLSearchParams({ orderBy: '"age"', startAt: '3,"k3"', limitToFirst: '2' }));
    const d = node({ k1: { age: 3 }, k3: { age: 3 }, k4: { age: 5 }, k5: { age: 6 } });
    expect(selectKeys(d, spec)).toEqual(['k3', 'k4']);
    const eq = parseRestQuery(new URLSearchParams({ orderBy: '"$value"', equalTo: '"a,b"' })).spec;
    expect(selectKeys(node({ x: 'a,b', y: 'c' }), eq)).toEqual(['x']);
    expect(() => parseRestQuery(new URLSearchParams({ orderBy: 'age' }))).toThrow(/JSON/);
    expect(() => parseRestQuery(new URLSearchParams({ orderBy: '"$key"', startAt: '1' }))).toThrow(/string/);
  });
  it('builds the rules query variable', () => {
    expect(rulesQuery(parseWireQuery({ i: 'age', sp: 3, sin: true, ep: 3, ein: true }), false)).toMatchObject({
      orderByChild: 'age',
      equalTo: 3,
      limitToFirst: null,
    });
    expect(rulesQuery(parseWireQuery({ l: 5, vf: 'r' }), false)).toMatchObject({ orderByPriority: true, limitToLast: 5 });
    expect(rulesQuery(parseWireQuery(undefined), true)).toMatchObject({ orderByKey: true, orderByPriority: false, limitToFirst: null });
    expect(rulesQuery(parseWireQuery({ i: 'age', sp: 3, sn: 'a', sin: true, ep: 3, en: 'b', ein: true }), false).equalTo).toBeNull();
  });
});

describe('bounded limit selection', () => {
  it('matches a full sort for random data, both directions, with and without ranges', () => {
    let seed = 1;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 30; round++) {
      const json: Record<string, unknown> = {};
      for (let i = 0; i < 60; i++) {
        const r = rand();
        json[`k${Math.floor(rand() * 1000)}`] = { v: r < 0.2 ? 'str' + Math.floor(rand() * 5) : r < 0.3 ? rand() < 0.5 : r < 0.35 ? { o: 1 } : Math.floor(rand() * 10) };
      }
      const data = node(json);
      for (const vf of ['l', 'r']) {
        for (const extra of [{}, { sp: 3, sin: true }, { ep: 'str2', ein: false }]) {
          const full = selectKeys(data, parseWireQuery({ i: 'v', ...extra }));
          const limit = 1 + Math.floor(rand() * 10);
          const expected = vf === 'l' ? full.slice(0, limit) : full.slice(Math.max(0, full.length - limit));
          expect(selectKeys(data, parseWireQuery({ i: 'v', l: limit, vf, ...extra }))).toEqual(expected);
        }
      }
    }
  });
});
