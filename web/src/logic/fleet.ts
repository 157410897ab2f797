/** The fleet table's rows: what a row holds, how rows sort and how the filter picks them. Pure. */

export interface DeviceRow {
  id: string;
  name?: string;
  zone?: string;
  online?: boolean;
  lastSeen?: number;
  fw?: string;
  angle?: number;
  ir?: number;
  /** Server time of the state (the last mapped reading). */
  stateTs?: number;
  /** Which of the three nodes have answered (with a value or with "absent"). */
  loaded: { meta: boolean; status: boolean; state: boolean };
}

export const SORT_KEYS = ['name', 'online', 'lastSeen', 'angle', 'ir', 'fw', 'zone'] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type SortDir = 'asc' | 'desc';
export interface FleetSort {
  key: SortKey;
  dir: SortDir;
}

export type StatusFilter = 'all' | 'online' | 'offline';
export interface FleetFilter {
  /** Matched case-insensitively against id and name. */
  text: string;
  status: StatusFilter;
  /** '' for every zone. */
  zone: string;
}

export const DEFAULT_SORT: FleetSort = { key: 'name', dir: 'asc' };
export const DEFAULT_FILTER: FleetFilter = { text: '', status: 'all', zone: '' };

function sortValue(row: DeviceRow, key: SortKey): string | number | undefined {
  switch (key) {
    case 'name':
      return (row.name ?? row.id).toLowerCase();
    case 'online':
      return row.online === undefined ? undefined : row.online ? 1 : 0;
    case 'zone':
      return row.zone;
    default:
      return row[key];
  }
}

/** Rows without the sorted value go last in either direction; ties fall back to the id. */
export function compareRows(a: DeviceRow, b: DeviceRow, sort: FleetSort): number {
  const va = sortValue(a, sort.key);
  const vb = sortValue(b, sort.key);
  if (va === undefined && vb !== undefined) return 1;
  if (vb === undefined && va !== undefined) return -1;
  if (va !== undefined && vb !== undefined && va !== vb) {
    const order = va < vb ? -1 : 1;
    return sort.dir === 'asc' ? order : -order;
  }
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function matchesFilter(row: DeviceRow, filter: FleetFilter): boolean {
  if (filter.status === 'online' && row.online !== true) return false;
  if (filter.status === 'offline' && row.online === true) return false;
  if (filter.zone !== '' && row.zone !== filter.zone) return false;
  const text = filter.text.trim().toLowerCase();
  if (text === '') return true;
  return row.id.includes(text) || (row.name ?? '').toLowerCase().includes(text);
}

/** The ids to show, filtered and in order. */
export function orderRows(rows: Iterable<DeviceRow>, sort: FleetSort, filter: FleetFilter): string[] {
  const picked: DeviceRow[] = [];
  for (const row of rows) if (matchesFilter(row, filter)) picked.push(row);
  picked.sort((a, b) => compareRows(a, b, sort));
  return picked.map((row) => row.id);
}

/** Whether a change to these fields can move rows: then the order is recomputed, else cells are patched. */
export function affectsOrder(changed: ReadonlySet<keyof DeviceRow>, sort: FleetSort, filter: FleetFilter): boolean {
  const sortField: keyof DeviceRow = sort.key;
  if (changed.has(sortField) || (sort.key === 'name' && changed.has('name'))) return true;
  if (filter.status !== 'all' && changed.has('online')) return true;
  if (filter.zone !== '' && changed.has('zone')) return true;
  if (filter.text.trim() !== '' && changed.has('name')) return true;
  return false;
}

/** Clicking a column: the same column flips direction, another column starts ascending. */
export function nextSort(current: FleetSort, key: SortKey): FleetSort {
  if (current.key === key) return { key, dir: current.dir === 'asc' ? 'desc' : 'asc' };
  return { key, dir: 'asc' };
}

/** Every zone named by a row, sorted, for the zone filter. */
export function zonesOf(rows: Iterable<DeviceRow>): string[] {
  const zones = new Set<string>();
  for (const row of rows) if (row.zone) zones.add(row.zone);
  return [...zones].sort();
}

/** The slice of `count` rows a scrolled window shows, with `overscan` rows either side. */
export function visibleRange(
  scrollTopPx: number,
  viewportPx: number,
  rowPx: number,
  count: number,
  overscan = 8,
): { start: number; end: number } {
  const first = Math.floor(Math.max(0, scrollTopPx) / rowPx);
  const shown = Math.ceil(Math.max(0, viewportPx) / rowPx) + 1;
  const start = Math.max(0, first - overscan);
  const end = Math.min(count, first + shown + overscan);
  return { start, end: Math.max(start, end) };
}
