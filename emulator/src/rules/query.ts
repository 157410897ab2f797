// The `query` variable of read rules (Firebase rules reference, "query") for a plain read. The
// server derives it for queries from what the client sent (src/query/rules-query.ts).
import type { RulesQuery } from '../contracts.js';

/**
 * The `query` of a read without query parameters: ordered by key, no bounds, no limits. The live
 * service answers `query.orderByKey == true` for such reads (goldibex/targaryen parser fixtures,
 * recorded by uploading each rule to Firebase).
 */
export function plainReadQuery(): RulesQuery {
  return { ...emptyRulesQuery(), orderByKey: true };
}

/** Every ordering false, every bound and limit null. */
function emptyRulesQuery(): RulesQuery {
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
