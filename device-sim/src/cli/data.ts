// `get`, `set`, `update`, `delete` and `query`: the CRUD and filtered-query operations devices
// need, over either transport, printing JSON. Results of queries are printed in query order
// (REST returns filtered objects unordered, https://firebase.google.com/docs/database/rest/retrieve-data
// "Sorting data"), ordered by the toolkit exactly as the SDK orders them.
import { orderedChildren, type Json } from '@firelink/model';
import { SimError } from '../errors.js';
import type { OrderBy, QueryOptions, QueryValue } from '../transport/types.js';

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

/** The query result's children in query order (the toolkit's order, model/src/rtdb/order.ts). */
export function orderResult(result: Json, orderBy: OrderBy): [string, Json][] {
  return orderedChildren(result, orderBy);
}

/**
 * The query result as JSON text whose keys are in query order. A JS object cannot hold that order
 * (integer-like keys always come first, ascending), so the text is built from the ordered pairs.
 */
export function formatOrdered(result: Json, orderBy: OrderBy): string {
  if (result === null || typeof result !== 'object') return JSON.stringify(result, null, 2);
  const entries = orderResult(result, orderBy);
  if (entries.length === 0) return '{}';
  const body = entries.map(([key, value]) => `  ${JSON.stringify(key)}: ${JSON.stringify(value, null, 2).replace(/\n/g, '\n  ')}`);
  return `{\n${body.join(',\n')}\n}`;
}
