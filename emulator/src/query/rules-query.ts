// The rules `query` variable from what a client sent: one derivation for the server and for the
// rules case table, so the engine's tests see exactly what the server passes it.
import type { RulesQuery } from '../contracts.js';
import { parseRestQuery } from './rest-params.js';
import { isPlainWireQuery, parseWireQuery, rulesQuery } from './spec.js';

/** From the SDK's wire query object `q` of a listen or get (absent or `{}` = a plain read). */
export function rulesQueryFromWire(wire: unknown): RulesQuery {
  return rulesQuery(parseWireQuery(wire ?? {}), isPlainWireQuery(wire));
}

/** From REST query parameters (`orderBy`, bounds and limits, JSON-encoded). */
export function rulesQueryFromRest(params: URLSearchParams): RulesQuery {
  const { spec, ordered } = parseRestQuery(params);
  return rulesQuery(spec, !ordered);
}
