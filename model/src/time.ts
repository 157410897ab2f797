import { ContractError, describeValue } from './errors.js';
import { TIMESTAMP_MAX_MS, TIMESTAMP_MIN_MS } from './limits.js';

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** The rollup bucket key `YYYYMMDDHHmm` (UTC) of a timestamp in epoch milliseconds. */
export function minuteKey(tsMs: number): string {
  if (!Number.isInteger(tsMs) || tsMs < TIMESTAMP_MIN_MS || tsMs > TIMESTAMP_MAX_MS) {
    throw new ContractError(
      'invalid-data',
      'tsMs',
      `tsMs: must be an integer number of milliseconds since the epoch (got ${describeValue(tsMs)})`,
    );
  }
  const d = new Date(tsMs);
  if (d.getUTCFullYear() > 9999) {
    throw new ContractError('invalid-data', 'tsMs', `tsMs: year after 9999 has no minute key (got ${tsMs})`);
  }
  return (
    pad(d.getUTCFullYear(), 4) +
    pad(d.getUTCMonth() + 1, 2) +
    pad(d.getUTCDate(), 2) +
    pad(d.getUTCHours(), 2) +
    pad(d.getUTCMinutes(), 2)
  );
}

/** The first millisecond of a `YYYYMMDDHHmm` bucket. */
export function minuteKeyStartMs(key: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(key);
  const ms = m
    ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]))
    : NaN;
  if (!m || Number.isNaN(ms) || minuteKey(ms) !== key) {
    throw new ContractError(
      'invalid-key',
      'minuteKey',
      `minuteKey: must be a valid UTC minute written as YYYYMMDDHHmm (got ${describeValue(key)})`,
    );
  }
  return ms;
}
