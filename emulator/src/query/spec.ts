// Query specifications from the wire (`q` object, spec §1.11) and from REST parameters
// (spec §2.3), in one shape; plus the rules `query` variable built from them.
import type { RulesQuery } from '../contracts.js';
import { RtdbError } from '../errors.js';
import { isValidKey, MAX_NAME, MIN_NAME, splitPath } from '../tree/keys.js';
import type { IndexValue, QueryIndex } from './ordering.js';

export interface Bound {
  readonly value: IndexValue;
  /** Key tie-breaker; MIN_NAME / MAX_NAME when none was given. */
  readonly key: string;
  readonly inclusive: boolean;
}

export interface QuerySpec {
  readonly index: QueryIndex;
  readonly start: Bound | null;
  readonly end: Bound | null;
  readonly limit: number | null;
  /** limitToFirst (true) or limitToLast (false). */
  readonly fromLeft: boolean;
}

export const DEFAULT_QUERY: QuerySpec = { index: { kind: 'priority' }, start: null, end: null, limit: null, fromLeft: true };

/** True when the query loads all data of its location (the SDK uses the untagged listen for it). */
export function loadsAllData(spec: QuerySpec): boolean {
  return spec.start === null && spec.end === null && spec.limit === null;
}

function bad(message: string): RtdbError {
  return new RtdbError('invalid_query', message);
}

function parseIndex(raw: unknown): QueryIndex {
  if (raw === undefined) return { kind: 'priority' };
  if (raw === '.key') return { kind: 'key' };
  if (raw === '.value') return { kind: 'value' };
  if (raw === '.priority') return { kind: 'priority' };
  if (typeof raw !== 'string') throw bad(`Invalid query index ${JSON.stringify(raw)}`);
  const path = splitPath(raw);
  if (path.length === 0 || !path.every(isValidKey)) throw bad(`Invalid orderByChild path "${raw}"`);
  return { kind: 'child', path };
}

function boundValue(index: QueryIndex, raw: unknown, where: string): IndexValue {
  if (raw === null || typeof raw === 'string' || typeof raw === 'boolean' || (typeof raw === 'number' && Number.isFinite(raw))) {
    if (index.kind === 'key' && typeof raw !== 'string') throw bad(`${where}: with orderByKey the bound must be a string`);
    return raw;
  }
  throw bad(`${where}: a query bound must be a string, number, boolean or null, got ${JSON.stringify(raw)}`);
}

function boundKey(raw: unknown, fallback: string, where: string): string {
  if (raw === undefined || raw === null) return fallback;
  if (typeof raw !== 'string') throw bad(`${where}: the key tie-breaker must be a string`);
  return raw;
}

/** Largest limit the server takes (a 32-bit signed integer), as for REST. */
const MAX_WIRE_LIMIT = 2 ** 31 - 1;

function limitOf(raw: unknown, where: string): number {
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw <= 0) throw bad(`${where} must be a positive integer`);
  if (raw > MAX_WIRE_LIMIT) throw bad(`${where} must be at most ${MAX_WIRE_LIMIT}, got ${raw}`);
  return raw;
}

/** Parses the SDK's wire query object (core/view/QueryParams.ts queryParamsGetQueryObject). */
export function parseWireQuery(q: unknown): QuerySpec {
  if (q === undefined || q === null) return DEFAULT_QUERY;
  if (typeof q !== 'object' || Array.isArray(q)) throw bad(`Invalid query object ${JSON.stringify(q)}`);
  const o = q as Record<string, unknown>;
  const index = parseIndex(o['i']);
  // Presence, not truthiness: `sp:null` means startAt(null) (spec §6.7).
  const start: Bound | null =
    'sp' in o ? { value: boundValue(index, o['sp'], 'startAt'), key: boundKey(o['sn'], MIN_NAME, 'startAt'), inclusive: o['sin'] !== false } : null;
  const end: Bound | null =
    'ep' in o ? { value: boundValue(index, o['ep'], 'endAt'), key: boundKey(o['en'], MAX_NAME, 'endAt'), inclusive: o['ein'] !== false } : null;
  const limit = 'l' in o ? limitOf(o['l'], 'limit') : null;
  const fromLeft = o['vf'] !== undefined ? o['vf'] !== 'r' : start !== null || end === null;
  return { index, start, end, limit, fromLeft };
}

/** The SDK's wire object for a spec; used to answer revocations (`c` push carries it). */
export function toWireQuery(spec: QuerySpec): Record<string, unknown> {
  const q: Record<string, unknown> = {};
  if (spec.start) {
    q['sp'] = spec.start.value;
    if (spec.start.key !== MIN_NAME) q['sn'] = spec.start.key;
    q['sin'] = spec.start.inclusive;
  }
  if (spec.end) {
    q['ep'] = spec.end.value;
    if (spec.end.key !== MAX_NAME) q['en'] = spec.end.key;
    q['ein'] = spec.end.inclusive;
  }
  if (spec.limit !== null) {
    q['l'] = spec.limit;
    q['vf'] = spec.fromLeft ? 'l' : 'r';
  }
  const i = spec.index;
  if (i.kind === 'key') q['i'] = '.key';
  else if (i.kind === 'value') q['i'] = '.value';
  else if (i.kind === 'child') q['i'] = i.path.join('/');
  return q;
}

/**
 * The rules language `query` variable (Firebase rules reference "query"). A plain read (no
 * query at all) counts as ordered by key, as the live service answers (targaryen fixtures);
 * a query without `i` is ordered by priority.
 */
export function rulesQuery(spec: QuerySpec, plain: boolean): RulesQuery {
  const i = spec.index;
  const base: RulesQuery = {
    orderByKey: plain || i.kind === 'key',
    orderByPriority: !plain && i.kind === 'priority',
    orderByValue: i.kind === 'value',
    orderByChild: i.kind === 'child' ? i.path.join('/') : null,
    startAt: null,
    endAt: null,
    equalTo: null,
    limitToFirst: null,
    limitToLast: null,
  };
  if (plain) return base;
  const { start, end } = spec;
  // equalTo(v[, k]) is sent as startAt(v[, k]) + endAt(v[, k]) (api/Reference_impl.ts equalTo).
  const sameKey = start !== null && end !== null && (start.key === end.key || (start.key === MIN_NAME && end.key === MAX_NAME));
  const equal = start !== null && end !== null && start.inclusive && end.inclusive && start.value === end.value && sameKey;
  return {
    ...base,
    startAt: start ? (start.value as unknown) : null,
    endAt: end ? (end.value as unknown) : null,
    equalTo: equal ? (start.value as unknown) : null,
    limitToFirst: spec.limit !== null && spec.fromLeft ? spec.limit : null,
    limitToLast: spec.limit !== null && !spec.fromLeft ? spec.limit : null,
  };
}

/** True when a wire `q` is absent or empty: a plain read. */
export function isPlainWireQuery(q: unknown): boolean {
  return q === undefined || q === null || (typeof q === 'object' && Object.keys(q).length === 0);
}
