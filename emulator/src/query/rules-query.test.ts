// The rules `query` variable as the server derives it from what clients send: the SDK's wire
// query object (docs/protocol.md §8, observed encodings) and REST parameters (docs/protocol.md §12).
import { describe, expect, it } from 'vitest';
import type { RulesQuery } from '../contracts.js';
import { plainReadQuery } from '../rules/index.js';
import { rulesQueryFromRest, rulesQueryFromWire } from './rules-query.js';

/** A query read's variable: nothing set unless listed (a plain read differs only by orderByKey). */
const q = (fields: Partial<RulesQuery>): RulesQuery => ({ ...plainReadQuery(), orderByKey: false, ...fields });

const WIRE: ReadonlyArray<readonly [string, Record<string, unknown>, RulesQuery]> = [
  ['orderByChild + startAt + limitToFirst', { sp: 2, sin: true, l: 1, vf: 'l', i: 'age' }, q({ orderByChild: 'age', startAt: 2, limitToFirst: 1 })],
  ['startAfter + limitToLast', { sp: 1, sn: 'k2', sin: false, l: 2, vf: 'r', i: 'age' }, q({ orderByChild: 'age', startAt: 1, limitToLast: 2 })],
  ['orderByKey + endBefore', { ep: 'k3', ein: false, i: '.key' }, q({ orderByKey: true, endAt: 'k3' })],
  ['equalTo', { sp: 3, sin: true, ep: 3, ein: true, i: 'age' }, q({ orderByChild: 'age', equalTo: 3, startAt: 3, endAt: 3 })],
  ['limitToFirst alone orders by priority', { l: 2, vf: 'l' }, q({ orderByPriority: true, limitToFirst: 2 })],
  ['orderByValue with startAt(null)', { sp: null, sin: true, ep: true, ein: true, i: '.value' }, q({ orderByValue: true, startAt: null, endAt: true })],
  ['no query: ordered by key', {}, q({ orderByKey: true })],
];

describe('rules query from the wire', () => {
  it.each(WIRE)('%s', (_name, wire, expected) => {
    expect(rulesQueryFromWire(wire)).toEqual(expected);
  });

  it('treats a missing query as a plain read', () => {
    expect(rulesQueryFromWire(undefined)).toEqual(plainReadQuery());
    expect(plainReadQuery().orderByKey).toBe(true);
  });
});

const REST: ReadonlyArray<readonly [string, string, RulesQuery]> = [
  ['child order and limit', 'orderBy=%22ts%22&limitToFirst=5', q({ orderByChild: 'ts', limitToFirst: 5 })],
  ['$key with JSON bounds', 'orderBy=%22$key%22&startAt=%22a%22&endAt=%22m%22', q({ orderByKey: true, startAt: 'a', endAt: 'm' })],
  ['$value equalTo number', 'orderBy=%22$value%22&equalTo=3', q({ orderByValue: true, equalTo: 3, startAt: 3, endAt: 3 })],
  ['$priority limitToLast', 'orderBy=%22$priority%22&limitToLast=2', q({ orderByPriority: true, limitToLast: 2 })],
  ['no parameters: ordered by key', 'print=pretty', q({ orderByKey: true })],
];

describe('rules query from REST parameters', () => {
  it.each(REST)('%s', (_name, search, expected) => {
    expect(rulesQueryFromRest(new URLSearchParams(search))).toEqual(expected);
  });
});
