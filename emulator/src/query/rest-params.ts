// REST query parameters (spec §2.3): JSON-encoded values, optional `,"key"` tie-breakers.
import { RtdbError } from '../errors.js';
import { MAX_NAME, MIN_NAME } from '../tree/keys.js';
import type { IndexValue, QueryIndex } from './ordering.js';
import { DEFAULT_QUERY, type Bound, type QuerySpec } from './spec.js';
import { splitPath, isValidKey } from '../tree/keys.js';

const FILTERS = ['startAt', 'startAfter', 'endAt', 'endBefore', 'equalTo', 'limitToFirst', 'limitToLast'] as const;

function bad(message: string): RtdbError {
  return new RtdbError('invalid_query', message);
}

function parseJsonParam(name: string, raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    throw bad(`${name}: could not parse ${JSON.stringify(raw)} as JSON (strings must be quoted, e.g. ${name}="abc")`);
  }
}

/** `3` or `3,"k2"` (value plus key tie-breaker, core/view/QueryParams.ts queryParamsToRestQueryStringParameters). */
function parseBoundParam(name: string, raw: string): { value: unknown; key: string | null } {
  try {
    return { value: JSON.parse(raw), key: null };
  } catch {
    // Fall through: try "value,key" split at each comma from the right.
  }
  for (let i = raw.lastIndexOf(','); i > 0; i = raw.lastIndexOf(',', i - 1)) {
    try {
      const value: unknown = JSON.parse(raw.slice(0, i));
      const key: unknown = JSON.parse(raw.slice(i + 1));
      if (typeof key === 'string') return { value, key };
    } catch {
      continue;
    }
  }
  throw bad(`${name}: could not parse ${JSON.stringify(raw)}; use a JSON value, optionally followed by ,"key"`);
}

function parseOrderBy(raw: string): QueryIndex {
  const v = parseJsonParam('orderBy', raw);
  if (v === '$key') return { kind: 'key' };
  if (v === '$value') return { kind: 'value' };
  if (v === '$priority') return { kind: 'priority' };
  if (typeof v !== 'string' || v.length === 0) throw bad('orderBy must be a JSON string such as "$key" or "height"');
  const path = splitPath(v);
  if (path.length === 0 || !path.every(isValidKey)) throw bad(`orderBy: invalid child path ${JSON.stringify(v)}`);
  return { kind: 'child', path };
}

function asIndexValue(index: QueryIndex, name: string, v: unknown): IndexValue {
  if (index.kind === 'key' && typeof v !== 'string') throw bad(`${name}: with orderBy="$key" the value must be a string`);
  if (v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))) return v;
  throw bad(`${name}: must be a JSON primitive (string, number, boolean or null)`);
}

/** Largest limit the server takes (a 32-bit signed integer). */
export const MAX_LIMIT = 2 ** 31 - 1;

function limitParam(name: string, raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw bad(`${name} must be a positive integer`);
  if (n > MAX_LIMIT) throw bad(`${name} must be at most ${MAX_LIMIT}, got ${raw}`);
  return n;
}

/** Values the REST API knows for its output parameters. */
const OUTPUT_PARAMS: Readonly<Record<string, readonly string[]>> = {
  print: ['pretty', 'silent'],
  format: ['export'],
  shallow: ['true', 'false'],
};

/** Refuses unknown values of `print`, `format` and `shallow` instead of ignoring them. */
export function checkOutputParams(params: URLSearchParams): void {
  for (const [name, allowed] of Object.entries(OUTPUT_PARAMS)) {
    const value = params.get(name);
    if (value !== null && !allowed.includes(value)) {
      throw bad(`${name}=${JSON.stringify(value).slice(1, -1)} is not supported; use ${allowed.map((a) => `${name}=${a}`).join(' or ')}`);
    }
  }
}

export interface RestQuery {
  spec: QuerySpec;
  /** True when orderBy was given (for the rules `query` variable). */
  ordered: boolean;
}

export function parseRestQuery(params: URLSearchParams): RestQuery {
  const orderBy = params.get('orderBy');
  const present = FILTERS.filter((f) => params.has(f));
  if (orderBy === null) {
    // firebase-tools probes emptiness with shallow=true&limitToFirst=1 and expects success (spec §2.3).
    if (present.length > 0 && params.get('shallow') !== 'true') throw bad('orderBy must be defined when other query parameters are defined');
    return { spec: DEFAULT_QUERY, ordered: false };
  }
  const index = parseOrderBy(orderBy);
  const bound = (name: string, inclusive: boolean, isStart: boolean): Bound | null => {
    const raw = params.get(name);
    if (raw === null) return null;
    const { value, key } = parseBoundParam(name, raw);
    const v = asIndexValue(index, name, value);
    // startAt(v) = (v, MIN) inclusive; startAfter(v) = (v, MAX) exclusive; ends mirror (spec §3.4).
    const fallback = isStart === inclusive ? MIN_NAME : MAX_NAME;
    return { value: v, key: key ?? fallback, inclusive };
  };
  if (params.has('startAt') && params.has('startAfter')) throw bad('startAt and startAfter cannot both be set');
  if (params.has('endAt') && params.has('endBefore')) throw bad('endAt and endBefore cannot both be set');
  let start = bound('startAt', true, true) ?? bound('startAfter', false, true);
  let end = bound('endAt', true, false) ?? bound('endBefore', false, false);
  const equal = params.get('equalTo');
  if (equal !== null) {
    if (start || end) throw bad('equalTo cannot be combined with startAt, startAfter, endAt or endBefore');
    start = bound('equalTo', true, true);
    end = start === null ? null : { ...start, key: start.key === MIN_NAME ? MAX_NAME : start.key };
  }
  const first = params.get('limitToFirst');
  const last = params.get('limitToLast');
  if (first !== null && last !== null) throw bad('limitToFirst and limitToLast cannot both be set');
  const limit = first !== null ? limitParam('limitToFirst', first) : last !== null ? limitParam('limitToLast', last) : null;
  return { spec: { index, start, end, limit, fromLeft: last === null }, ordered: true };
}
