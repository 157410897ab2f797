import { describe, expect, it } from 'vitest';
import { checkQuery, describeQuery, displayOrder, querySteps, type QueryForm } from './query.js';

const form = (over: Partial<QueryForm>): QueryForm => ({ orderBy: 'ts', range: 'none', from: '', to: '', limit: '50', end: 'last', ...over });

describe('readings query', () => {
  it('builds the newest readings by time', () => {
    const check = checkQuery(form({}));
    expect(check.ok).toBe(true);
    if (!check.ok) return;
    expect(querySteps(check.query)).toEqual([{ op: 'orderByChild', path: 'ts' }, { op: 'limitToLast', n: 50 }]);
    expect(describeQuery(check.query)).toBe('ordered by time (server), last 50');
  });
  it('builds "from X" and "between X and Y" on the chosen field', () => {
    const from = checkQuery(form({ orderBy: 'ir', range: 'from', from: '2000', limit: '10', end: 'first' }));
    expect(from.ok && querySteps(from.query)).toEqual([
      { op: 'orderByChild', path: 'ir' },
      { op: 'startAt', value: 2000 },
      { op: 'limitToFirst', n: 10 },
    ]);
    const between = checkQuery(form({ orderBy: 'temp', range: 'between', from: '-5.5', to: '30' }));
    expect(between.ok && querySteps(between.query)).toEqual([
      { op: 'orderByChild', path: 'temp' },
      { op: 'startAt', value: -5.5 },
      { op: 'endAt', value: 30 },
      { op: 'limitToLast', n: 50 },
    ]);
  });
  it('keeps only readings carrying the field when a sensor is ordered without range', () => {
    const c = checkQuery(form({ orderBy: 'light' }));
    expect(c.ok && querySteps(c.query)).toEqual([
      { op: 'orderByChild', path: 'light' },
      { op: 'startAt', value: 0 },
      { op: 'limitToLast', n: 50 },
    ]);
  });
  it('names every bad field with the rule and the value', () => {
    const c = checkQuery(form({ orderBy: 'ir', range: 'between', from: '5000', to: 'x', limit: '0' }));
    expect(c.ok).toBe(false);
    if (c.ok) return;
    expect(c.errors.from).toBe('from: must be a number between 0 and 4095 for IR (got "5000")');
    expect(c.errors.to).toBe('to: must be a number between 0 and 4095 for IR (got "x")');
    expect(c.errors.limit).toBe('limit: must be a whole number between 1 and 1000 (got "0")');
    const reversed = checkQuery(form({ orderBy: 'ir', range: 'between', from: '300', to: '200' }));
    expect(!reversed.ok && reversed.errors.to).toBe('to: must be at least from (got from 300, to 200)');
    const missing = checkQuery(form({ orderBy: 'seq', range: 'from', from: ' ' }));
    expect(!missing.ok && missing.errors.from).toMatch(/^from: is required/);
    const badOrder = checkQuery(form({ orderBy: 'name' }));
    expect(!badOrder.ok && badOrder.errors.orderBy).toMatch(/must be one of ts, ir, temp, light, seq/);
  });
  it('shows the last ones highest first', () => {
    const c = checkQuery(form({}));
    expect(c.ok && displayOrder([1, 2, 3], c.query)).toEqual([3, 2, 1]);
    const f = checkQuery(form({ end: 'first' }));
    expect(f.ok && displayOrder([1, 2, 3], f.query)).toEqual([1, 2, 3]);
  });
});
