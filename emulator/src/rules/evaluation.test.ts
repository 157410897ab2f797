// Outcomes of single expressions: true, false, or a run-time error (which makes a rule false).
// The expectations follow outcomes recorded from the live service by goldibex/targaryen's
// parser fixtures (each rule uploaded to Firebase and evaluated), restated here as our own cases.
import { describe, expect, it } from 'vitest';
import type { AuthVariable } from '../contracts.js';
import { compileRules, jsonView } from './index.js';

const BOB: AuthVariable = { uid: 'custom:bob', provider: 'custom', someBool: true, someInt: 1, someString: 'one', foo: { bar: true } };
const EMAIL_UID: AuthVariable = { uid: 'bob@example.com' };

interface Evaluation {
  auth?: AuthVariable;
  data?: unknown;
  /** Wildcard name and the key it captures. */
  wildcard?: readonly [string, string];
}

/** 'error' when both the rule and its negation are false (docs/protocol.md §16: errors make a rule false). */
function outcome(expression: string, { auth, data, wildcard }: Evaluation): 'true' | 'false' | 'error' {
  const decide = (rule: string): boolean => {
    const rules = wildcard === undefined ? { '.read': rule } : { [wildcard[0]]: { '.read': rule } };
    const path = wildcard === undefined ? [] : [wildcard[1]];
    return compileRules(JSON.stringify({ rules })).canRead({ path, auth: auth ?? null, root: jsonView(data ?? null), nowMs: 0 });
  };
  if (decide(expression)) return 'true';
  return decide(`!(${expression})`) ? 'false' : 'error';
}

const CASES: ReadonlyArray<readonly [string, Evaluation, 'true' | 'false' | 'error']> = [
  ["'foo'.contains('o')", {}, 'true'],
  ['auth !== null', {}, 'false'],
  ["auth.uid !== 'eviluser'", {}, 'true'],
  ['auth.someInt < 5', { auth: BOB }, 'true'],
  ["auth.contains('75')", {}, 'error'],
  ["auth.notfound.contains('75')", { auth: BOB }, 'error'],
  ['auth.not.found.length > 0', { auth: BOB }, 'error'],
  ["auth.isTernary === true ? root.child('x').exists() : true", { auth: BOB }, 'true'],
  ['root.isBoolean()', {}, 'false'],
  ['root.hasChildren()', {}, 'false'],
  ["root.hasChildren(['foo', 'bar', 'baz'])", {}, 'false'],
  ['root.child(auth.someString.toUpperCase()).val() === null', {}, 'error'],
  ['root.hasChildren([auth.uid])', {}, 'error'],
  ["root.child('users/' + auth.uid).exists()", {}, 'error'],
  ['root.child(auth.x + auth.y).exists()', {}, 'error'],
  ['auth.dreams.length > 1 ? false : true', {}, 'error'],
  ['!(auth.dreams.length > 1)', {}, 'error'],
  ["root.val() == 'bar'", { data: 'bar' }, 'true'],
  ["root.val().contains('ba')", { data: 'bar' }, 'true'],
  ['root.val().matches(/^wa/)', { data: 'bar' }, 'false'],
  ["root.child('foo').val().matches(/BAR/i)", { data: { foo: 'bar' } }, 'true'],
  ['auth.foo[$bar] == true', { auth: BOB, wildcard: ['$bar', 'bar'] }, 'true'],
  ["auth.foo['bar'] == true", { auth: BOB }, 'true'],
  ['auth.foo.baz == null', {}, 'true'],
  // Only own members: nothing leaks from JavaScript's Object.prototype.
  ["auth.constructor == null && auth['__proto__'] == null && auth.foo.toString == null", { auth: BOB }, 'true'],
  ["$color == 'green'", { wildcard: ['$color', 'orange'] }, 'false'],
  ["root.child('foo').child(auth.foo).exists() == false", { data: { foo: { bar: true } } }, 'error'],
  ["root.child('foo').hasChild(auth.foo) == false", { data: { foo: { bar: true } } }, 'error'],
  ["'foo1'.contains(auth.someInt)", { auth: BOB }, 'error'],
  ["'foo'.beginsWith(auth.foo)", {}, 'error'],
  ["'foobar'.replace('bar', auth.someInt) == 'foo1'", { auth: BOB }, 'error'],
  ['-auth.foo == -1', {}, 'error'],
  ['-auth.someString == -1', { auth: BOB }, 'error'],
  ['!(auth.foo == null)', {}, 'false'],
  ['!(auth.someString == null)', { auth: BOB }, 'true'],
  ['(auth.someInt / 2) == 0.5', { auth: BOB }, 'true'],
  ['(1 % auth.someInt) == 1', { auth: BOB }, 'false'],
  ["(auth.someString + 'two') == 'onetwo'", { auth: BOB }, 'true'],
  ['(auth.someString + 1) == 2', { auth: BOB }, 'false'],
  ['(1 + auth.someString) == 2', { auth: BOB }, 'false'],
  ['(auth.someString - 1) == 0', { auth: BOB }, 'error'],
  ['(1 + auth.someBool) == 2', { auth: BOB }, 'error'],
  ['(auth.none * 1) == 1', { auth: BOB }, 'error'],
  ["(1/0 + '') == 'NaN'", {}, 'true'],
  ['(1/0) > 2', {}, 'false'],
  ["'foo' == auth.foo", {}, 'false'],
  ["'one' !== auth.someInt", { auth: BOB }, 'true'],
  ["'foo' > auth.foo", {}, 'error'],
  ["auth.someInt <= 'one'", { auth: BOB }, 'error'],
  ['1 >= auth.someInt', { auth: BOB }, 'true'],
  ['root.parent().exists()', {}, 'error'],
  ["root['exists']() == false", {}, 'true'],
  ["auth.someString['contains']('on') == true", { auth: BOB }, 'true'],
  ["root.child('foo').val().length < 100", { data: { foo: '' } }, 'true'],
  // A key that cannot exist (it has a `.`) is an absent child, not an error.
  ["root.child('banned/' + auth.uid).val() != true", { auth: EMAIL_UID }, 'true'],
  ["root.hasChild('banned/' + auth.uid) == false", { auth: EMAIL_UID }, 'true'],
  ["root.hasChildren(['banned/' + auth.uid]) == false", { auth: EMAIL_UID }, 'true'],
  ["root.hasChildren(['banned/bob@example.com']) == false", {}, 'true'],
  // A read without query parameters.
  ['query.orderByKey == true && query.orderByValue == false && query.orderByPriority == false', {}, 'true'],
  ['query.orderByChild == null && query.startAt == null && query.endAt == null && query.equalTo == null', {}, 'true'],
  ['query.limitToLast == null && query.limitToFirst == null', {}, 'true'],
];

describe('expression outcomes', () => {
  it.each(CASES)('%s', (expression, evaluation, expected) => {
    expect(outcome(expression, evaluation)).toBe(expected);
  });
});
