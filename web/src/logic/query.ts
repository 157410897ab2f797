/**
 * The readings query form: what the owner asks for, checked, and turned into the ordered and
 * filtered RTDB query the data model indexes (`.indexOn` ts, seq, ir, temp, light in
 * database.rules.json). Pure: the data layer maps the steps onto the SDK's query constraints.
 */
import { IR_MAX, IR_MIN, LIGHT_MAX, LIGHT_MIN, SEQ_MAX, TEMP_MAX_C, TEMP_MIN_C } from '@firelink/model';

export const ORDER_FIELDS = ['ts', 'ir', 'temp', 'light', 'seq'] as const;
export type OrderField = (typeof ORDER_FIELDS)[number];
export const RANGE_MODES = ['none', 'from', 'between'] as const;
export type RangeMode = (typeof RANGE_MODES)[number];
export type LimitEnd = 'first' | 'last';

export const QUERY_LIMIT_MAX = 1000;

export interface ReadingsQuery {
  orderBy: OrderField;
  range: RangeMode;
  from?: number;
  to?: number;
  limit: number;
  /** `last`: the highest values of the order (newest for ts); `first`: the lowest. */
  end: LimitEnd;
}

/** The form as typed: every value a string from an input. */
export interface QueryForm {
  orderBy: string;
  range: string;
  from: string;
  to: string;
  limit: string;
  end: string;
}

export const FIELD_LABELS: Record<OrderField, string> = {
  ts: 'time (server)',
  ir: 'IR',
  temp: 'temperature',
  light: 'light',
  seq: 'sequence',
};

const BOUNDS: Record<OrderField, [number, number]> = {
  ts: [0, 8_640_000_000_000_000],
  ir: [IR_MIN, IR_MAX],
  temp: [TEMP_MIN_C, TEMP_MAX_C],
  light: [LIGHT_MIN, LIGHT_MAX],
  seq: [0, SEQ_MAX],
};

export type QueryCheck = { ok: true; query: ReadingsQuery } | { ok: false; errors: Partial<Record<keyof QueryForm, string>> };

function parseBound(raw: string, field: OrderField, name: 'from' | 'to', errors: Partial<Record<keyof QueryForm, string>>): number | undefined {
  const text = raw.trim();
  const [min, max] = BOUNDS[field];
  if (text === '') {
    errors[name] = `${name}: is required for this range (a number between ${min} and ${max})`;
    return undefined;
  }
  const value = Number(text);
  if (!Number.isFinite(value) || value < min || value > max) {
    errors[name] = `${name}: must be a number between ${min} and ${max} for ${FIELD_LABELS[field]} (got ${JSON.stringify(text)})`;
    return undefined;
  }
  return value;
}

export function checkQuery(form: QueryForm): QueryCheck {
  const errors: Partial<Record<keyof QueryForm, string>> = {};
  const orderBy = (ORDER_FIELDS as readonly string[]).includes(form.orderBy) ? (form.orderBy as OrderField) : undefined;
  if (!orderBy) errors.orderBy = `order by: must be one of ${ORDER_FIELDS.join(', ')} (got ${JSON.stringify(form.orderBy)})`;
  const range = (RANGE_MODES as readonly string[]).includes(form.range) ? (form.range as RangeMode) : undefined;
  if (!range) errors.range = `range: must be one of ${RANGE_MODES.join(', ')} (got ${JSON.stringify(form.range)})`;
  const end: LimitEnd | undefined = form.end === 'first' || form.end === 'last' ? form.end : undefined;
  if (!end) errors.end = `end: must be first or last (got ${JSON.stringify(form.end)})`;
  const limit = Number(form.limit.trim());
  if (form.limit.trim() === '' || !Number.isInteger(limit) || limit < 1 || limit > QUERY_LIMIT_MAX) {
    errors.limit = `limit: must be a whole number between 1 and ${QUERY_LIMIT_MAX} (got ${JSON.stringify(form.limit)})`;
  }
  let from: number | undefined;
  let to: number | undefined;
  if (orderBy && (range === 'from' || range === 'between')) from = parseBound(form.from, orderBy, 'from', errors);
  if (orderBy && range === 'between') {
    to = parseBound(form.to, orderBy, 'to', errors);
    if (from !== undefined && to !== undefined && to < from) {
      errors.to = `to: must be at least from (got from ${from}, to ${to})`;
    }
  }
  if (Object.keys(errors).length > 0 || !orderBy || !range || !end) return { ok: false, errors };
  const query: ReadingsQuery = { orderBy, range, limit, end };
  if (from !== undefined) query.from = from;
  if (to !== undefined) query.to = to;
  return { ok: true, query };
}

/** One step of an RTDB query, in the order the SDK's `query(ref, ...)` takes them. */
export type QueryStep =
  | { op: 'orderByChild'; path: string }
  | { op: 'startAt'; value: number }
  | { op: 'endAt'; value: number }
  | { op: 'limitToFirst'; n: number }
  | { op: 'limitToLast'; n: number };

export function querySteps(q: ReadingsQuery): QueryStep[] {
  const steps: QueryStep[] = [{ op: 'orderByChild', path: q.orderBy }];
  if (q.range === 'from' || q.range === 'between') steps.push({ op: 'startAt', value: q.from ?? 0 });
  if (q.range === 'between') steps.push({ op: 'endAt', value: q.to ?? 0 });
  // Without a lower bound, readings lacking the field (null) sort first in RTDB; a bound of the
  // field's minimum keeps only readings that carry it, which is what "ordered by temp" means.
  if (q.range === 'none' && q.orderBy !== 'ts' && q.orderBy !== 'seq') {
    steps.splice(1, 0, { op: 'startAt', value: BOUNDS[q.orderBy][0] });
  }
  steps.push(q.end === 'first' ? { op: 'limitToFirst', n: q.limit } : { op: 'limitToLast', n: q.limit });
  return steps;
}

/** A readable one-line summary, e.g. `ir between 1000 and 3000, last 50`. */
export function describeQuery(q: ReadingsQuery): string {
  const range = q.range === 'from' ? ` from ${q.from}` : q.range === 'between' ? ` between ${q.from} and ${q.to}` : '';
  return `ordered by ${FIELD_LABELS[q.orderBy]}${range}, ${q.end} ${q.limit}`;
}

/**
 * Rows in the order shown: the query's order, highest first when the limit took the last ones
 * (so "last 50 by time" reads newest first).
 */
export function displayOrder<T>(rowsInQueryOrder: T[], q: ReadingsQuery): T[] {
  return q.end === 'last' ? [...rowsInQueryOrder].reverse() : rowsInQueryOrder;
}
