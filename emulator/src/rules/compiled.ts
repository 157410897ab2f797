// Types shared by the expression compiler (expression.ts) and the method compilers (methods.ts),
// kept apart so neither imports the other.
import type { Expression, Node, SpreadElement } from 'acorn';
import type { AuthVariable, RulesQuery } from '../contracts.js';
import type { RuleSnapshot } from './snapshot.js';

/** Everything an expression can see while it runs. */
export interface EvalContext {
  auth: AuthVariable | null;
  now: number;
  root: RuleSnapshot;
  data: RuleSnapshot;
  /** Null in `.read` rules, where `newData` does not compile. */
  newData: RuleSnapshot | null;
  query: RulesQuery | null;
  /** Captured `$wildcard` keys, in the order of the wildcards on the rules path. */
  vars: readonly string[];
}

export type RuleKind = '.read' | '.write' | '.validate';

/**
 * Static types. `any` (auth members, query bounds) and `value` (what val() and getPriority()
 * return) are checked at run time; `value` has no members but `length`. `mixed` is a ternary
 * whose branches have different known types: usable as an operand, not as a boolean.
 */
export type StaticType = 'boolean' | 'number' | 'string' | 'null' | 'snapshot' | 'auth' | 'query' | 'any' | 'value' | 'mixed';

/** `table[key]` for the table's own keys only: `constructor` or `__proto__` are not members. */
export function ownEntry<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/** Types whose run-time value may be anything (checked when the expression runs). */
export function isDynamic(type: StaticType): boolean {
  return type === 'any' || type === 'value' || type === 'mixed';
}

export interface Compiled {
  type: StaticType;
  run: (ctx: EvalContext) => unknown;
}

/** What a method compiler needs of the expression compiler. */
export interface SubCompiler {
  compile(node: Expression | SpreadElement): Compiled;
  fail(node: Node, reason: string): never;
}
