// `get`, `set`, `update`, `delete` and `query`: the CRUD and filtered-query operations devices
// need, over either transport, printing JSON. Results of queries are printed in query order
// (REST returns filtered objects unordered, https://firebase.google.com/docs/database/rest/retrieve-data
// "Sorting data"), ordered like RTDB does: null, false, true, numbers, strings, objects; ties by key.
import { SimError } from './errors.js';
import type { Json, OrderBy, QueryOptions, QueryValue } from './transport/types.js';

/** `key`, `value`, `child:<path>` or a bare child path. */
export function parseOrderBy(text: string): OrderBy {
  if (text === 'key' || text === '$key') return { kind: 'key' };
  if (text === 'value' || text === '$value') return { kind: 'value' };
  const child = text.startsWith('child:') ? text.slice('child:'.length) : text;
  if (child.length === 0 || child === 'child') {
    throw new SimError('bad-config', `--order-by: name the child, e.g. --order-by child:ts (got "${text}")`);
  }
  return { kind: 'child', child };
}

/** A query bound: JSON when it parses as a primitive (`100`, `true`, `"a"`), else the raw string. */
export function parseQueryValue(text: string, option: string): QueryValue {
  try {
    const value = JSON.parse(text) as unknown;
    if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) return value as QueryValue;
    throw new SimError('bad-config', `${option}: must be a string, number, boolean or null (got ${text})`);
  } catch (error) {
    if (error instanceof SimError) throw error;
    return text;
  }
}

/** A value to write: JSON. */
export function parseJsonValue(text: string, what: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch (error) {
    throw new SimError('bad-config', `${what} must be JSON (strings in double quotes, e.g. '"hello"'): ${(error as Error).message}`);
  }
}

export interface QueryFlags {
  orderBy: string;
  startAt?: string | undefined;
  endAt?: string | undefined;
  equalTo?: string | undefined;
  limitFirst?: number | undefined;
  limitLast?: number | undefined;
}

export function buildQuery(flags: QueryFlags): QueryOptions {
  const query: QueryOptions = { orderBy: parseOrderBy(flags.orderBy) };
  if (flags.startAt !== undefined) query.startAt = parseQueryValue(flags.startAt, '--start-at');
  if (flags.endAt !== undefined) query.endAt = parseQueryValue(flags.endAt, '--end-at');
  if (flags.equalTo !== undefined) {
    if (query.startAt !== undefined || query.endAt !== undefined) throw new SimError('bad-config', '--equal-to cannot be combined with --start-at or --end-at');
    query.equalTo = parseQueryValue(flags.equalTo, '--equal-to');
  }
  if (flags.limitFirst !== undefined && flags.limitLast !== undefined) throw new SimError('bad-config', 'give --limit-first or --limit-last, not both');
  for (const [name, n] of [['--limit-first', flags.limitFirst], ['--limit-last', flags.limitLast]] as const) {
    if (n !== undefined && (!Number.isInteger(n) || n < 1)) throw new SimError('bad-config', `${name}: must be a positive integer (got ${n})`);
  }
  if (flags.limitFirst !== undefined) query.limitToFirst = flags.limitFirst;
  if (flags.limitLast !== undefined) query.limitToLast = flags.limitLast;
  return query;
}

const INTEGER_KEY = /^-?(0|[1-9]\d{0,9})$/;

/** RTDB key order: 32-bit-integer-like keys numerically first, then strings. */
export function compareKeys(a: string, b: string): number {
  const ai = INTEGER_KEY.test(a) && Math.abs(Number(a)) <= 2 ** 31 - 1;
  const bi = INTEGER_KEY.test(b) && Math.abs(Number(b)) <= 2 ** 31 - 1;
  if (ai && bi) return Number(a) - Number(b) || (a < b ? -1 : a > b ? 1 : 0);
  if (ai) return -1;
  if (bi) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function rank(v: Json | undefined): number {
  if (v === null || v === undefined) return 0;
  if (v === false) return 1;
  if (v === true) return 2;
  if (typeof v === 'number') return 3;
  if (typeof v === 'string') return 4;
  return 5;
}

/** RTDB value order for orderByValue / orderByChild. */
export function compareValues(a: Json | undefined, b: Json | undefined): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return 0;
}

function childAt(value: Json, path: string): Json | undefined {
  let node: Json | undefined = value;
  for (const key of path.split('/').filter(Boolean)) {
    node = node && typeof node === 'object' && !Array.isArray(node) ? node[key] : undefined;
  }
  return node;
}

/** The query result as an object whose keys are in query order. */
export function orderResult(result: Json, orderBy: OrderBy): Json {
  if (!result || typeof result !== 'object') return result;
  const entries = Array.isArray(result) ? result.map((v, i) => [String(i), v] as [string, Json]) : Object.entries(result);
  entries.sort(([ka, va], [kb, vb]) => {
    const byValue = orderBy.kind === 'key' ? 0 : orderBy.kind === 'value' ? compareValues(va, vb) : compareValues(childAt(va, orderBy.child), childAt(vb, orderBy.child));
    return byValue || compareKeys(ka, kb);
  });
  return Object.fromEntries(entries);
}
