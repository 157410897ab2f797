/**
 * Field builders shared by the node schemas. Every check of a field carries the same rule text,
 * so whichever check fails, the message states the whole rule (`must be an integer between 0 and
 * 4095`) and `formatIssues` adds the field path and the rejected value.
 */
import { z } from 'zod';
import { KEY_FORBIDDEN_CHARS, PLAIN_TEXT_PATTERN, TIMESTAMP_MAX_MS, TIMESTAMP_MIN_MS } from '../limits.js';
import { keyProblem } from '../rtdb/keys.js';

/** An integer in [min, max]. zod 4's number type already rejects NaN and ±Infinity. */
export function intIn(min: number, max: number, unit = ''): z.ZodNumber {
  const rule = `must be an integer between ${min} and ${max}${unit}`;
  return z.number({ error: rule }).int({ error: rule }).min(min, { error: rule }).max(max, { error: rule });
}

/** A finite number in [min, max]. */
export function numberIn(min: number, max: number, unit = ''): z.ZodNumber {
  const rule = `must be a finite number between ${min} and ${max}${unit}`;
  return z.number({ error: rule }).min(min, { error: rule }).max(max, { error: rule });
}

/** Milliseconds since the Unix epoch, as `ServerValue.TIMESTAMP` resolves to. */
export const timestampMs = (() => {
  const rule = `must be a timestamp in integer milliseconds since the epoch (${TIMESTAMP_MIN_MS}..${TIMESTAMP_MAX_MS})`;
  return z
    .number({ error: rule })
    .int({ error: rule })
    .min(TIMESTAMP_MIN_MS, { error: rule })
    .max(TIMESTAMP_MAX_MS, { error: rule });
})();

export const bool = z.boolean({ error: 'must be true or false' });

/** Text without control characters, `minChars..maxChars` UTF-16 code units (RTDB rules' `.length`). */
export function text(maxChars: number, minChars = 1): z.ZodString {
  const rule = `must be a string of ${minChars}..${maxChars} characters without control characters`;
  return z
    .string({ error: rule })
    .min(minChars, { error: rule })
    .max(maxChars, { error: rule })
    .regex(PLAIN_TEXT_PATTERN, { error: rule });
}

/** A string matching `pattern`, described by `rule`. */
export function matching(pattern: RegExp, rule: string): z.ZodString {
  return z.string({ error: rule }).regex(pattern, { error: rule });
}

/** One of a fixed set of strings. */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: `must be one of ${values.join(', ')}` });
}

const forbiddenList = KEY_FORBIDDEN_CHARS.join(' ');

/**
 * A strict object: unknown keys are rejected with a message listing the allowed ones, and a key
 * that could never exist in RTDB (`. # $ [ ] /`, control characters) is called out as such.
 */
export function node<S extends z.ZodRawShape>(shape: S) {
  const allowed = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code === 'unrecognized_keys') {
        const keys = issue.keys as string[];
        const badKey = keys.find((k) => keyProblem(k) !== undefined);
        const listed = keys.map((k) => JSON.stringify(k)).join(', ');
        return badKey !== undefined
          ? `key ${JSON.stringify(badKey)} is not a valid database key (no ${forbiddenList} or control characters); allowed keys: ${allowed}`
          : `unknown key${keys.length > 1 ? 's' : ''} ${listed} not allowed; allowed keys: ${allowed}`;
      }
      return `must be an object with keys ${allowed}`;
    },
  });
}

/** A map `{ <key>: true }`, the RTDB idiom for a set (an index of ids). */
export function idSet(key: z.ZodString, what: string) {
  return z.record(key, z.literal(true, { error: 'must be true (a set member)' }), {
    error: (issue) =>
      issue.code === 'invalid_key'
        ? undefined
        : `must be an object mapping each ${what} to true`,
  });
}
