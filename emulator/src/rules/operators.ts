// Runtime semantics of the rules operators: JavaScript-like but strict. A type error throws
// RuleFailure, which makes the whole rule false (docs/protocol.md §16; goldibex/targaryen fixtures recorded
// from the live service: `'1' == 1` is false, `1 + 'a'` is `'1a'`, `null + 1` fails).
import { OBJECT_SENTINEL, RuleFailure, RuleSnapshot } from './snapshot.js';

export function describe(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value === OBJECT_SENTINEL) return 'object value';
  if (value instanceof RuleSnapshot) return 'snapshot';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

export function add(a: unknown, b: unknown): unknown {
  if (typeof a === 'number' && typeof b === 'number') return a + b;
  const aText = typeof a === 'string' || typeof a === 'number';
  const bText = typeof b === 'string' || typeof b === 'number';
  if (aText && bText) return String(a) + String(b);
  throw new RuleFailure(`cannot add ${describe(a)} and ${describe(b)}`);
}

type NumberOperator = '-' | '*' | '/' | '%';

function numbers(operator: string, a: unknown, b: unknown): asserts a is number {
  if (typeof a !== 'number' || typeof b !== 'number') {
    throw new RuleFailure(`'${operator}' needs numbers, got ${describe(a)} and ${describe(b)}`);
  }
}

/** The function of one arithmetic operator, chosen once at compile time. */
export function arithmetic(operator: NumberOperator): (a: unknown, b: unknown) => number {
  switch (operator) {
    case '-':
      return (a, b) => (numbers(operator, a, b), a - (b as number));
    case '*':
      return (a, b) => (numbers(operator, a, b), a * (b as number));
    case '/':
      // The live service yields NaN for division by zero: `(1/0 + '') == 'NaN'` holds (docs/protocol.md §16).
      return (a, b) => (numbers(operator, a, b), b === 0 ? NaN : a / (b as number));
    case '%':
      return (a, b) => (numbers(operator, a, b), a % (b as number));
  }
}

/** `==` and `===` alike: no coercion, different types are unequal. */
export function equals(a: unknown, b: unknown): boolean {
  const left = a === undefined ? null : a;
  const right = b === undefined ? null : b;
  if (left === OBJECT_SENTINEL || right === OBJECT_SENTINEL) return false;
  return left === right;
}

type OrderOperator = '<' | '<=' | '>' | '>=';

function ordered(operator: string, a: unknown, b: unknown): void {
  const same = (typeof a === 'number' && typeof b === 'number') || (typeof a === 'string' && typeof b === 'string');
  if (!same) throw new RuleFailure(`'${operator}' needs two numbers or two strings, got ${describe(a)} and ${describe(b)}`);
}

/** The function of one relational operator, chosen once at compile time. */
export function compare(operator: OrderOperator): (a: unknown, b: unknown) => boolean {
  switch (operator) {
    case '<':
      return (a, b) => (ordered(operator, a, b), (a as number) < (b as number));
    case '<=':
      return (a, b) => (ordered(operator, a, b), (a as number) <= (b as number));
    case '>':
      return (a, b) => (ordered(operator, a, b), (a as number) > (b as number));
    case '>=':
      return (a, b) => (ordered(operator, a, b), (a as number) >= (b as number));
  }
}

export function asBoolean(value: unknown, what: string): boolean {
  if (typeof value !== 'boolean') throw new RuleFailure(`${what} needs a boolean, got ${describe(value)}`);
  return value;
}

export function negate(value: unknown): number {
  if (typeof value !== 'number') throw new RuleFailure(`unary '-' needs a number, got ${describe(value)}`);
  return -value;
}

/** `a.b` / `a[b]` on a JSON value (auth, auth.token, query): missing members and null receivers give null. */
export function member(receiver: unknown, key: unknown): unknown {
  if (receiver === null || receiver === undefined) return null;
  if (typeof receiver === 'string') {
    if (key === 'length') return receiver.length;
    throw new RuleFailure(`strings have no member ${String(key)}`);
  }
  if (Array.isArray(receiver)) {
    if (key === 'length') return receiver.length;
    if (typeof key === 'number' && Number.isInteger(key)) return receiver[key] ?? null;
    throw new RuleFailure(`arrays have no member ${String(key)}`);
  }
  if (typeof receiver === 'object' && !(receiver instanceof RuleSnapshot) && receiver !== null) {
    if (typeof key !== 'string') throw new RuleFailure(`object member must be a string, got ${describe(key)}`);
    return Object.prototype.hasOwnProperty.call(receiver, key) ? ((receiver as Record<string, unknown>)[key] ?? null) : null;
  }
  throw new RuleFailure(`${describe(receiver)} has no members`);
}
