/**
 * The model's one error vocabulary. Every rejection carries a `code`, the `field` it concerns
 * (a dotted path such as `reading.ir`, or an argument name such as `deviceId`) and a message that
 * says what was wrong and how to fix it.
 */
export type ContractErrorCode =
  /** An id or key given to a path builder breaks the RTDB key rules or the id pattern. */
  | 'invalid-key'
  /** A value does not match the schema of the node it is written to. */
  | 'invalid-data'
  /** A calibration cannot be used to map readings (degenerate, out of range, not a number). */
  | 'invalid-mapping';

export class ContractError extends Error {
  override readonly name = 'ContractError';

  constructor(
    readonly code: ContractErrorCode,
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** A short, printable rendering of a rejected value for error messages. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return String(value);
  }
  if (typeof value === 'string') {
    const shown = value.length > 40 ? `${value.slice(0, 40)}...` : value;
    return `${JSON.stringify(shown)} (${value.length} chars)`;
  }
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object') return 'an object';
  return typeof value;
}
