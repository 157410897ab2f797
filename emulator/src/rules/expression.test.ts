import { describe, expect, it } from 'vitest';
import { RulesError, compileRules } from './index.js';

/** Compile one expression as the rule `kind` at /rules/a/$id and return the error. */
function compileError(expression: string, kind: '.read' | '.write' | '.validate' = '.write'): RulesError {
  const source = JSON.stringify({ rules: { a: { $id: { [kind]: expression } } } });
  try {
    compileRules(source);
  } catch (error) {
    if (error instanceof RulesError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(expression)} to be rejected`);
}

// [expression, kind, expected message fragment, expected 0-based offset]
const REJECTED: ReadonlyArray<readonly [string, '.read' | '.write' | '.validate', string, number]> = [
  ['auth != null &&', '.write', 'Unexpected token', 15],
  ['newData.exists()', '.read', 'newData is not available in .read rules', 0],
  ['query.limitToFirst == 1', '.write', 'query is only available in .read rules', 0],
  ['foo == 1', '.write', 'unknown variable foo', 0],
  ["$nope == 'x'", '.write', 'unknown variable $nope', 0],
  ['Math.max(1, 2) > 0', '.write', 'unknown variable Math', 0],
  ['data.foo()', '.write', 'unknown snapshot method foo()', 0],
  ['data.exists', '.write', 'snapshots have no property exists', 0],
  ["data.val() == 'a'.bogus()", '.write', 'unknown string method bogus()', 14],
  ['data.child()', '.write', 'child() takes 1 argument(s), got 0', 0],
  ['1 + 2', '.write', 'must evaluate to a boolean, not number', 0],
  ["'a'", '.write', 'must evaluate to a boolean, not string', 0],
  ['true ? 1 : 2', '.write', 'must evaluate to a boolean, not number', 0],
  ['auth.uid && true', '.write', "left operand of '&&' must be a boolean, not string", 0],
  ['!1', '.write', "operand of '!' must be a boolean", 1],
  ["-'a' == 1", '.write', "unary '-' needs a number", 0],
  ['data.val() = 1', '.write', 'Assigning to rvalue', 0],
  ['true; false', '.write', "unexpected ';'", 4],
  ['(x => x) == 1', '.write', 'a function is not allowed', 1],
  ["typeof auth == 'object'", '.write', "operator 'typeof' is not allowed", 0],
  ["'uid' in auth", '.write', "operator 'in' is not allowed", 0],
  ['2 ** 3 == 8', '.write', "operator '**' is not allowed", 0],
  ["data.val() ?? true", '.write', "operator '??' is not allowed", 0],
  ['auth?.uid == null', '.write', 'optional chaining is not allowed', 0],
  ['`x` == data.val()', '.write', 'a template string is not allowed', 0],
  ['new Date() == 1', '.write', "'new' is not allowed", 0],
  ['this.x == 1', '.write', "'this' is not allowed", 0],
  ['data == newData', '.write', 'a snapshot cannot be an operand', 0],
  ['newData.val().matches(/x/g)', '.write', "regex flag 'g' is not supported", 22],
  ['newData.val().matches(/(^a$|b)/)', '.write', "'^' is only allowed at the start", 22],
  ['newData.val().matches(/a\\1/)', '.write', 'backreference', 22],
  ['newData.val().matches(/^(foo|)$/)', '.write', 'empty alternative', 22],
  ['newData.val().matches(/(|foo)/)', '.write', 'empty alternative', 22],
  ['newData.val().matches(/^a||b$/)', '.write', 'empty alternative', 22],
  ['newData.val().matches(/^|a/)', '.write', 'empty alternative', 22],
  ['newData.val().matches(/a|$/)', '.write', 'empty alternative', 22],
  ['newData.val().matches(/a(?=b)/)', '.write', 'is not supported', 22],
  ["newData.val().matches('x')", '.write', 'matches() takes a regular expression literal', 22],
  ["newData.hasChildren('a')", '.write', 'hasChildren() takes an array of strings', 20],
  ['newData.hasChildren([1])', '.write', 'needs a string argument, not number', 21],
  ['newData.child(1).exists()', '.write', 'child() needs a string argument, not number', 14],
  ['/x/ == 1', '.write', 'regular expressions are only allowed as the argument of matches()', 0],
  ["['a'] == 1", '.write', 'array literals are only allowed', 0],
  ['', '.write', 'empty expression', 0],
  ["auth.uid === 'one' ? 7 : true", '.write', 'must evaluate to a boolean, not a mix of types', 0],
  ['root.val().notFound == false', '.write', 'values have no property notFound', 0],
  ["root['doesNotExist']() == true", '.write', 'unknown snapshot method doesNotExist()', 0],
  ["root['exi' + 'sts']() == false", '.write', 'a method name must be written out', 5],
  ['root[$id]() == false', '.write', 'a method name must be written out', 5],
  ["auth.token.name['doesNotContain']('on') == false", '.write', 'unknown string method doesNotContain()', 0],
  ['query.foo == 1', '.read', 'query has no member foo', 0],
  ['root.val() > true', '.write', "'>' needs numbers or strings, not boolean", 13],
  ["data.val()['x'] == 1", '.write', 'values have no property x', 0],
  ['data.constructor() == 1', '.write', 'unknown snapshot method constructor()', 0],
  ["'a'.toString() == 'a'", '.write', 'unknown string method toString()', 0],
  ['query.constructor == null', '.read', 'query has no member constructor', 0],
];

describe('expressions rejected at compile time', () => {
  it.each(REJECTED)('%j in %s', (expression, kind, fragment, offset) => {
    const error = compileError(expression, kind);
    expect(error.message).toContain(fragment);
    expect(error.rulesPath).toBe(`/rules/a/$id/${kind}`);
    expect(error.message).toContain(`/rules/a/$id/${kind}`);
    expect(error.offset).toBe(offset);
    expect(error.message).toContain(`line 1 col ${offset + 1}`);
  });

  it('reports line and column inside a multi-line expression', () => {
    const error = compileError('auth != null &&\n  data.bogus()');
    expect(error.line).toBe(2);
    expect(error.column).toBe(3);
    expect(error.message).toContain('line 2 col 3');
  });
});

const ACCEPTED: readonly string[] = [
  "auth != null && auth.uid == $id",
  "auth.token.email_verified == true && auth.token.email.matches(/.*@example[.]com$/i)",
  "root.child('users').child(auth.uid).child('admin').val() === true",
  "newData.hasChildren() || newData.hasChildren(['a', $id])",
  "data.val() == null || newData.val() > data.val() + 1",
  "newData.child('tags').child($id).exists() ? newData.val().length < 10 : false",
  "auth.token['firebase']['sign_in_provider'] == 'password'",
  "newData.val() == (now - now % 1000)",
  "(newData.getPriority() == null)",
  "newData.val().matches(/^(foo|bar)?[|]x\\|$/)",
  "newData.val().matches(/^a\\(|b$/)",
  "newData.val().replace('-', '').toUpperCase().length == 4",
];

describe('expressions accepted', () => {
  it.each(ACCEPTED.map((e) => [e]))('%s', (expression) => {
    expect(() => compileRules(JSON.stringify({ rules: { a: { $id: { '.write': expression, '.validate': expression } } } }))).not.toThrow();
  });

  it('accepts query in .read', () => {
    expect(() => compileRules(JSON.stringify({ rules: { '.read': "query.orderByChild == 'ts' && query.limitToLast <= 5" } }))).not.toThrow();
  });
});
