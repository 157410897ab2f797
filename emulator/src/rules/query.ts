// Builds the `query` variable of read rules (Firebase rules reference, "query") from the SDK's
// wire query object (spec §1.11, SDK core/view/QueryParams.ts queryParamsGetQueryObject) and
// from REST query parameters (spec §2.3).
import type { RulesQuery } from '../contracts.js';

/** The wire query object `q` of a listen or get. Key presence matters (`sp: null` is a bound). */
export interface WireQuery {
  sp?: unknown;
  sn?: string;
  sin?: boolean;
  ep?: unknown;
  en?: string;
  ein?: boolean;
  l?: number;
  vf?: 'l' | 'r';
  i?: string;
}

/**
 * The `query` of a read without query parameters: ordered by key, no bounds, no limits. The live
 * service answers `query.orderByKey == true` for such reads (goldibex/targaryen parser fixtures,
 * recorded by uploading each rule to Firebase).
 */
export function plainReadQuery(): RulesQuery {
  return { ...emptyRulesQuery(), orderByKey: true };
}

/** Every ordering false, every bound and limit null: the base the builders fill in. */
export function emptyRulesQuery(): RulesQuery {
  return {
    orderByKey: false,
    orderByPriority: false,
    orderByValue: false,
    orderByChild: null,
    startAt: null,
    endAt: null,
    equalTo: null,
    limitToFirst: null,
    limitToLast: null,
  };
}

export function buildRulesQuery(wire: WireQuery | Record<string, unknown> | null | undefined): RulesQuery {
  if (wire === null || wire === undefined || Object.keys(wire).length === 0) return plainReadQuery();
  const query = emptyRulesQuery();
  const q = wire as Record<string, unknown>;
  const has = (key: string): boolean => Object.prototype.hasOwnProperty.call(q, key);

  // An absent `i` means the priority index; the SDK omits it for orderByPriority() and for
  // unordered limit/range queries alike, so such a query counts as ordered by priority.
  const index = q['i'];
  if (index === '.key') query.orderByKey = true;
  else if (index === '.value') query.orderByValue = true;
  else if (typeof index === 'string') query.orderByChild = index;
  else query.orderByPriority = true;

  const startInclusive = q['sin'] !== false;
  const endInclusive = q['ein'] !== false;
  if (has('sp')) query.startAt = q['sp'] ?? null;
  if (has('ep')) query.endAt = q['ep'] ?? null;
  // equalTo(v) is sent as startAt(v) + endAt(v) (SDK api/Reference_impl.ts equalTo), so such a
  // query shows all three bounds; the database server derives `query` the same way.
  if (has('sp') && has('ep') && startInclusive && endInclusive && sameLeaf(q['sp'], q['ep']) && q['sn'] === q['en']) {
    query.equalTo = q['sp'] ?? null;
  }

  const limit = q['l'];
  if (typeof limit === 'number') {
    // Legacy limit() without a direction is anchored by the bound that is set (SDK isViewFromLeft).
    const fromLeft = q['vf'] === 'l' || (q['vf'] === undefined && has('sp'));
    if (fromLeft) query.limitToFirst = limit;
    else query.limitToLast = limit;
  }
  return query;
}

/** REST parameters `orderBy`, `startAt`, `endAt`, `equalTo` (JSON-encoded), `limitToFirst`, `limitToLast`. */
export function buildRulesQueryFromRest(params: URLSearchParams): RulesQuery {
  const QUERY_PARAMS = ['orderBy', 'startAt', 'endAt', 'equalTo', 'limitToFirst', 'limitToLast'];
  if (!QUERY_PARAMS.some((name) => params.has(name))) return plainReadQuery();
  const query = emptyRulesQuery();
  const orderBy = params.get('orderBy');
  if (orderBy !== null) {
    const index = parseJsonParam(orderBy);
    if (index === '$key') query.orderByKey = true;
    else if (index === '$value') query.orderByValue = true;
    else if (index === '$priority') query.orderByPriority = true;
    else if (typeof index === 'string') query.orderByChild = index;
  }
  const startAt = params.get('startAt');
  const endAt = params.get('endAt');
  const equalTo = params.get('equalTo');
  if (startAt !== null) query.startAt = parseJsonParam(startAt);
  if (endAt !== null) query.endAt = parseJsonParam(endAt);
  if (equalTo !== null) {
    // REST equalTo is startAt + endAt on the same value, as over the socket.
    query.equalTo = parseJsonParam(equalTo);
    query.startAt = query.equalTo;
    query.endAt = query.equalTo;
  }
  query.limitToFirst = parseLimit(params.get('limitToFirst'));
  query.limitToLast = parseLimit(params.get('limitToLast'));
  return query;
}

function parseJsonParam(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // REST requires JSON values; the server rejects malformed ones before rules run.
    return text;
  }
}

function parseLimit(text: string | null): number | null {
  if (text === null) return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}

function sameLeaf(a: unknown, b: unknown): boolean {
  return a === b || (a === null && b === undefined) || (a === undefined && b === null);
}
