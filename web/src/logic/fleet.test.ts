import { describe, expect, it } from 'vitest';
import { affectsOrder, compareRows, matchesFilter, nextSort, orderRows, visibleRange, zonesOf, type DeviceRow, DEFAULT_FILTER } from './fleet.js';

const loaded = { meta: true, status: true, state: true };
const rows: DeviceRow[] = [
  { id: 'dev-b', name: 'Beta', zone: 'hall', online: true, lastSeen: 300, ir: 100, angle: 4, fw: '1.0.0', loaded },
  { id: 'dev-a', name: 'alpha', zone: 'lab', online: false, lastSeen: 100, ir: 4000, angle: 176, fw: '1.1.0', loaded },
  { id: 'dev-c', name: 'Gamma', online: true, lastSeen: 200, loaded },
  { id: 'dev-d', loaded },
];

describe('fleet sort', () => {
  it('sorts names case-insensitively, falling back to the id', () => {
    expect(orderRows(rows, { key: 'name', dir: 'asc' }, DEFAULT_FILTER)).toEqual(['dev-a', 'dev-b', 'dev-d', 'dev-c']);
    expect(orderRows(rows, { key: 'name', dir: 'desc' }, DEFAULT_FILTER)).toEqual(['dev-c', 'dev-d', 'dev-b', 'dev-a']);
  });
  it('puts rows without the value last in both directions', () => {
    expect(orderRows(rows, { key: 'ir', dir: 'asc' }, DEFAULT_FILTER)).toEqual(['dev-b', 'dev-a', 'dev-c', 'dev-d']);
    expect(orderRows(rows, { key: 'ir', dir: 'desc' }, DEFAULT_FILTER)).toEqual(['dev-a', 'dev-b', 'dev-c', 'dev-d']);
    expect(orderRows(rows, { key: 'lastSeen', dir: 'desc' }, DEFAULT_FILTER)).toEqual(['dev-b', 'dev-c', 'dev-a', 'dev-d']);
    expect(orderRows(rows, { key: 'online', dir: 'desc' }, DEFAULT_FILTER)).toEqual(['dev-b', 'dev-c', 'dev-a', 'dev-d']);
  });
  it('breaks ties by id so the order is stable', () => {
    const a = { id: 'x-1', angle: 5, loaded };
    const b = { id: 'x-2', angle: 5, loaded };
    expect(compareRows(a, b, { key: 'angle', dir: 'desc' })).toBeLessThan(0);
    expect(compareRows(b, a, { key: 'angle', dir: 'asc' })).toBeGreaterThan(0);
  });
  it('flips the direction of the same column and starts others ascending', () => {
    expect(nextSort({ key: 'ir', dir: 'asc' }, 'ir')).toEqual({ key: 'ir', dir: 'desc' });
    expect(nextSort({ key: 'ir', dir: 'desc' }, 'name')).toEqual({ key: 'name', dir: 'asc' });
  });
});

describe('fleet filter', () => {
  it('matches text in id or name, status and zone', () => {
    expect(orderRows(rows, { key: 'name', dir: 'asc' }, { text: 'ALP', status: 'all', zone: '' })).toEqual(['dev-a']);
    expect(orderRows(rows, { key: 'name', dir: 'asc' }, { text: 'dev-', status: 'online', zone: '' })).toEqual(['dev-b', 'dev-c']);
    expect(orderRows(rows, { key: 'name', dir: 'asc' }, { text: '', status: 'offline', zone: '' })).toEqual(['dev-a', 'dev-d']);
    expect(orderRows(rows, { key: 'name', dir: 'asc' }, { text: '', status: 'all', zone: 'hall' })).toEqual(['dev-b']);
    expect(matchesFilter(rows[3]!, { text: 'zzz', status: 'all', zone: '' })).toBe(false);
  });
  it('lists the zones named by rows', () => {
    expect(zonesOf(rows)).toEqual(['hall', 'lab']);
  });
  it('knows which changes can move rows', () => {
    const sort = { key: 'ir', dir: 'asc' } as const;
    expect(affectsOrder(new Set(['ir']), sort, DEFAULT_FILTER)).toBe(true);
    expect(affectsOrder(new Set(['angle', 'lastSeen']), sort, DEFAULT_FILTER)).toBe(false);
    expect(affectsOrder(new Set(['online']), sort, { ...DEFAULT_FILTER, status: 'online' })).toBe(true);
    expect(affectsOrder(new Set(['name']), { key: 'name', dir: 'asc' }, DEFAULT_FILTER)).toBe(true);
  });
});

describe('virtual window', () => {
  it('covers the viewport plus overscan, clamped to the rows', () => {
    expect(visibleRange(0, 360, 36, 1000, 4)).toEqual({ start: 0, end: 15 });
    expect(visibleRange(3600, 360, 36, 1000, 4)).toEqual({ start: 96, end: 115 });
    expect(visibleRange(36_000, 360, 36, 1000, 4)).toEqual({ start: 996, end: 1000 });
    expect(visibleRange(0, 360, 36, 0, 4)).toEqual({ start: 0, end: 0 });
  });
});
