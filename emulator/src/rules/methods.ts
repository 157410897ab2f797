// Method calls of the rules language: RuleDataSnapshot methods and string methods (rules
// reference, "RuleDataSnapshot" and "String Methods"; spec §4.5). Arity and literal-only
// arguments are checked at compile time; argument types of computed values at run time.
import type { CallExpression, Expression, Node } from 'acorn';
import { isDynamic, ownEntry, type Compiled, type StaticType, type SubCompiler as ExpressionCompiler } from './compiled.js';
import { describe } from './operators.js';
import { compileRegex, regexProblem } from './regex.js';
import { RuleFailure, RuleSnapshot, splitChildPath } from './snapshot.js';

type Run = Compiled['run'];

const SNAPSHOT_METHODS: Record<string, { arity: readonly number[]; type: StaticType }> = {
  child: { arity: [1], type: 'snapshot' },
  parent: { arity: [0], type: 'snapshot' },
  hasChild: { arity: [1], type: 'boolean' },
  hasChildren: { arity: [0, 1], type: 'boolean' },
  exists: { arity: [0], type: 'boolean' },
  val: { arity: [0], type: 'value' },
  getPriority: { arity: [0], type: 'value' },
  isNumber: { arity: [0], type: 'boolean' },
  isString: { arity: [0], type: 'boolean' },
  isBoolean: { arity: [0], type: 'boolean' },
};

const STRING_METHODS: Record<string, { arity: number; type: StaticType }> = {
  contains: { arity: 1, type: 'boolean' },
  beginsWith: { arity: 1, type: 'boolean' },
  endsWith: { arity: 1, type: 'boolean' },
  replace: { arity: 2, type: 'string' },
  toLowerCase: { arity: 0, type: 'string' },
  toUpperCase: { arity: 0, type: 'string' },
  matches: { arity: 1, type: 'boolean' },
};

export function compileMethodCall(compiler: ExpressionCompiler, node: CallExpression): Compiled {
  const callee = node.callee;
  if (callee.type !== 'MemberExpression' || callee.object.type === 'Super') {
    return compiler.fail(node, 'only methods of snapshots and strings can be called in rules');
  }
  // `root['exists']()` is accepted like `root.exists()`; a computed method name is not (goldibex/targaryen fixtures).
  const property = callee.property;
  const name =
    !callee.computed && property.type === 'Identifier'
      ? property.name
      : callee.computed && property.type === 'Literal' && typeof property.value === 'string'
        ? property.value
        : compiler.fail(property, 'a method name must be written out, e.g. data.exists()');
  const receiver = compiler.compile(callee.object);
  for (const argument of node.arguments) {
    if (argument.type === 'SpreadElement') compiler.fail(argument, 'spread arguments are not allowed in rules');
  }
  const args = node.arguments as Expression[];
  if (receiver.type === 'snapshot') return snapshotMethod(compiler, node, name, receiver.run, args);
  // auth, auth members and values read from the database may be strings at run time.
  if (receiver.type === 'string' || receiver.type === 'auth' || isDynamic(receiver.type)) return stringMethod(compiler, node, name, receiver.run, args);
  return compiler.fail(callee.property, `${receiver.type} has no method ${name}()`);
}

function snapshotMethod(compiler: ExpressionCompiler, node: CallExpression, name: string, receiver: Run, args: Expression[]): Compiled {
  const spec = ownEntry(SNAPSHOT_METHODS, name);
  if (spec === undefined) return compiler.fail(node.callee, `unknown snapshot method ${name}()`);
  if (!spec.arity.includes(args.length)) return compiler.fail(node, `${name}() takes ${spec.arity.join(' or ')} argument(s), got ${args.length}`);
  const snap = (ctx: Parameters<Run>[0]): RuleSnapshot => {
    const value = receiver(ctx);
    if (!(value instanceof RuleSnapshot)) throw new RuleFailure(`${name}() called on ${describe(value)}`);
    return value;
  };
  const type = spec.type;
  const first = args[0];
  if (name === 'hasChildren' && first !== undefined) {
    if (first.type !== 'ArrayExpression') return compiler.fail(first, 'hasChildren() takes an array of strings, e.g. [\'a\', \'b\']');
    const keys = first.elements.map((element) => {
      if (element === null || element.type === 'SpreadElement') return compiler.fail(first, 'hasChildren() takes an array of strings');
      return stringArgument(compiler, element, 'hasChildren()');
    });
    const literals = first.elements.map((element) => (element?.type === 'Literal' && typeof element.value === 'string' ? splitChildPath(element.value) : null));
    if (literals.every((keyPath): keyPath is readonly string[] => Array.isArray(keyPath))) {
      // All literal (the usual `['a', 'b']`): split once, here.
      const allPresent = (snapshot: RuleSnapshot): boolean =>
        snapshot.view.hasChildren() && literals.every((keyPath) => snapshot.childKeys(keyPath).view.exists());
      return { type, run: (ctx) => allPresent(snap(ctx)) };
    }
    return { type, run: (ctx) => snap(ctx).hasChildren(keys.map((key) => key(ctx))) };
  }
  if (first !== undefined && first.type === 'Literal' && typeof first.value === 'string') {
    // A literal path is split and checked once, here.
    const keys = splitChildPath(first.value);
    if (typeof keys === 'string') return compiler.fail(first, keys);
    if (name === 'child') return { type, run: (ctx) => snap(ctx).childKeys(keys) };
    return { type, run: (ctx) => snap(ctx).childKeys(keys).view.exists() };
  }
  if (first !== undefined) {
    const path = stringArgument(compiler, first, `${name}()`);
    if (name === 'child') return { type, run: (ctx) => snap(ctx).child(path(ctx)) };
    return { type, run: (ctx) => snap(ctx).hasChild(path(ctx)) };
  }
  switch (name) {
    case 'parent':
      return { type, run: (ctx) => snap(ctx).parent() };
    case 'hasChildren':
      return { type, run: (ctx) => snap(ctx).hasChildren() };
    case 'exists':
      return { type, run: (ctx) => snap(ctx).exists() };
    case 'val':
      return { type, run: (ctx) => snap(ctx).val() };
    case 'getPriority':
      return { type, run: (ctx) => snap(ctx).getPriority() };
    case 'isNumber':
      return { type, run: (ctx) => snap(ctx).isNumber() };
    case 'isString':
      return { type, run: (ctx) => snap(ctx).isString() };
    case 'isBoolean':
      return { type, run: (ctx) => snap(ctx).isBoolean() };
    default:
      return compiler.fail(node, `${name}() needs an argument`);
  }
}

function stringMethod(compiler: ExpressionCompiler, node: CallExpression, name: string, receiver: Run, args: Expression[]): Compiled {
  const spec = ownEntry(STRING_METHODS, name);
  if (spec === undefined) return compiler.fail(node.callee, `unknown string method ${name}()`);
  if (args.length !== spec.arity) return compiler.fail(node, `${name}() takes ${spec.arity} argument(s), got ${args.length}`);
  const text = (ctx: Parameters<Run>[0]): string => {
    const value = receiver(ctx);
    if (typeof value !== 'string') throw new RuleFailure(`${name}() called on ${describe(value)}`);
    return value;
  };
  const type = spec.type;
  if (name === 'matches') {
    const regex = regexArgument(compiler, args[0] as Expression);
    return { type, run: (ctx) => regex.test(text(ctx)) };
  }
  const [a, b] = args.map((argument) => stringArgument(compiler, argument, `${name}()`));
  switch (name) {
    case 'contains':
      return { type, run: (ctx) => text(ctx).includes(a!(ctx)) };
    case 'beginsWith':
      return { type, run: (ctx) => text(ctx).startsWith(a!(ctx)) };
    case 'endsWith':
      return { type, run: (ctx) => text(ctx).endsWith(a!(ctx)) };
    case 'replace':
      // Literal replacement of every occurrence (spec §4.5: replace() replaces all).
      return { type, run: (ctx) => text(ctx).split(a!(ctx)).join(b!(ctx)) };
    case 'toLowerCase':
      return { type, run: (ctx) => text(ctx).toLowerCase() };
    default:
      return { type, run: (ctx) => text(ctx).toUpperCase() };
  }
}

/** A compiled argument that must be a string: rejected at compile time when statically not one. */
function stringArgument(compiler: ExpressionCompiler, argument: Expression, what: string): (ctx: Parameters<Run>[0]) => string {
  const compiled = compiler.compile(argument);
  if (compiled.type !== 'string' && !isDynamic(compiled.type)) {
    compiler.fail(argument, `${what} needs a string argument, not ${compiled.type}`);
  }
  const run = compiled.run;
  return (ctx) => {
    const value = run(ctx);
    if (typeof value !== 'string') throw new RuleFailure(`${what} needs a string, got ${describe(value)}`);
    return value;
  };
}

function regexArgument(compiler: ExpressionCompiler, argument: Node): RegExp {
  const literal = argument as Expression;
  if (literal.type !== 'Literal' || literal.regex === undefined) return compiler.fail(argument, 'matches() takes a regular expression literal, e.g. /^[a-z]+$/');
  const problem = regexProblem(literal.regex.pattern, literal.regex.flags);
  if (problem !== null) return compiler.fail(argument, problem);
  return compileRegex(literal.regex.pattern, literal.regex.flags);
}
