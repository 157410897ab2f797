/**
 * Turning zod results into the model's error vocabulary: one message per broken rule, naming the
 * field path and the rule, e.g. `reading.ir: must be an integer between 0 and 4095 (got 5000)`.
 */
import type { z } from 'zod';
import { ContractError, describeValue } from './errors.js';

type Issue = z.core.$ZodIssue;

function fieldPath(root: string, path: readonly PropertyKey[]): string {
  let out = root;
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (typeof seg === 'string' && /^[A-Za-z_][A-Za-z0-9_-]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(String(seg))}]`;
  }
  return out || '(value)';
}

function describeIssue(root: string, issue: Issue): string {
  const where = fieldPath(root, issue.path);
  // A discriminated union reports the whole object as input; judge the discriminator itself.
  const input =
    issue.code === 'invalid_union' && 'discriminator' in issue && typeof issue.discriminator === 'string'
      ? (issue.input as Record<string, unknown> | undefined)?.[issue.discriminator]
      : issue.input;
  // A missing key reaches zod as `undefined`; JSON and RTDB have no other use for it.
  if (input === undefined && issue.code !== 'custom' && issue.code !== 'unrecognized_keys') {
    return `${where}: is required and ${issue.message}`;
  }
  if (issue.code === 'unrecognized_keys') return `${where}: ${issue.message}`;
  if (issue.code === 'invalid_key') {
    const inner = issue.issues[0]?.message ?? issue.message;
    return `${where}: key ${inner}`;
  }
  // Custom (cross-field) rules already quote the values involved.
  if (issue.code === 'custom') return `${where}: ${issue.message}`;
  return `${where}: ${issue.message} (got ${describeValue(input)})`;
}

/** All issues of a zod error as one message, broken rules separated by `; `. */
export function formatIssues(root: string, issues: readonly Issue[]): string {
  return issues.map((issue) => describeIssue(root, issue)).join('; ');
}

export type Validation<T> = { ok: true; value: T } | { ok: false; error: ContractError };

/** Validates `value` against `schema`; `root` names the node in messages (`reading`, `config`…). */
export function validate<S extends z.ZodType>(
  schema: S,
  value: unknown,
  root: string,
): Validation<z.output<S>> {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return { ok: true, value: result.data };
  const first = result.error.issues[0];
  const field = first ? fieldPath(root, first.path) : root;
  return {
    ok: false,
    error: new ContractError('invalid-data', field, formatIssues(root, result.error.issues)),
  };
}

/** Like `validate` but throws the ContractError. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, root: string): z.output<S> {
  const result = validate(schema, value, root);
  if (!result.ok) throw result.error;
  return result.value;
}
