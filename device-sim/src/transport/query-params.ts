// REST query parameters (https://firebase.google.com/docs/database/rest/retrieve-data#section-rest-filtering):
// every value is JSON encoded, `orderBy` is required whenever a filter is given.
import type { QueryOptions } from './types.js';

export function restQueryParams(query: QueryOptions): Record<string, string> {
  const params: Record<string, string> = {};
  const order = query.orderBy;
  params.orderBy = JSON.stringify(order.kind === 'key' ? '$key' : order.kind === 'value' ? '$value' : order.child);
  if (query.startAt !== undefined) params.startAt = JSON.stringify(query.startAt);
  if (query.endAt !== undefined) params.endAt = JSON.stringify(query.endAt);
  if (query.equalTo !== undefined) params.equalTo = JSON.stringify(query.equalTo);
  if (query.limitToFirst !== undefined) params.limitToFirst = String(query.limitToFirst);
  if (query.limitToLast !== undefined) params.limitToLast = String(query.limitToLast);
  return params;
}
