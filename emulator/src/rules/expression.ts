// Compiles one rules expression, once, into a closure (rules reference; spec §4.5). acorn parses
// JavaScript expression syntax; everything outside the rules language is rejected here, at
// upload time, with the position inside the expression.
import { parseExpressionAt } from 'acorn';
import type { Expression, Node, SpreadElement } from 'acorn';
import { RulesError, lineColumnOf } from './errors.js';
import { add, arithmetic, asBoolean, compare, equals, member, negate } from './operators.js';
import { compileMethodCall } from './methods.js';
import { RuleFailure } from './snapshot.js';
import { isDynamic, ownEntry, type Compiled, type EvalContext, type RuleKind, type StaticType, type SubCompiler } from './compiled.js';

export { isDynamic, ownEntry, type Compiled, type EvalContext, type RuleKind, type StaticType } from './compiled.js';

/** Types that may hold a boolean at run time. */
function maybeBoolean(type: StaticType): boolean {
  return type === 'boolean' || type === 'any' || type === 'value';
}

export interface CompileScope {
  kind: RuleKind;
  /** `$name`s bound on the rules path, outermost first. */
  wildcards: readonly string[];
  rulesPath: string;
  source: string;
}

/** A compiled rule; `usesNow` tells whether its value can change with time alone. */
export type CompiledRule = ((ctx: EvalContext) => boolean) & { readonly usesNow: boolean };

const QUERY_MEMBERS: Record<string, StaticType> = {
  orderByKey: 'boolean',
  orderByPriority: 'boolean',
  orderByValue: 'boolean',
  orderByChild: 'any',
  startAt: 'any',
  endAt: 'any',
  equalTo: 'any',
  limitToFirst: 'any',
  limitToLast: 'any',
};

const BINARY_OPERATORS = new Set(['==', '===', '!=', '!==', '<', '<=', '>', '>=', '+', '-', '*', '/', '%']);

const AUTH_MEMBERS: Record<string, StaticType> = { uid: 'string', provider: 'string', token: 'any' };

/** Compile a rule value: a boolean, or a string holding an expression that must be boolean. */
export function compileRule(value: boolean | string, scope: CompileScope): CompiledRule {
  if (typeof value === 'boolean') return Object.assign(() => value, { usesNow: false });
  const compiler = new ExpressionCompiler(scope);
  const compiled = compiler.compileTop();
  const run = compiled.run;
  const rule = (ctx: EvalContext): boolean => {
    try {
      return run(ctx) === true;
    } catch (error) {
      // Runtime errors make the rule false (spec §4.5); anything else is a bug worth seeing.
      if (error instanceof RuleFailure) return false;
      throw error;
    }
  };
  return Object.assign(rule, { usesNow: compiler.usesNow });
}

export class ExpressionCompiler implements SubCompiler {
  /** Set when the expression reads `now`. */
  usesNow = false;

  constructor(readonly scope: CompileScope) {}

  compileTop(): Compiled {
    const source = this.scope.source;
    if (source.trim() === '') throw this.errorAt(0, 'empty expression');
    let ast: Expression;
    try {
      // preserveParens keeps `(…)` nodes so that `ast.end` covers a closing parenthesis.
      ast = parseExpressionAt(source, 0, { ecmaVersion: 2020, preserveParens: true });
    } catch (error) {
      const pos = (error as { pos?: number }).pos ?? 0;
      const reason = error instanceof Error ? error.message.replace(/\s*\(\d+:\d+\)$/, '') : String(error);
      throw this.errorAt(pos, reason);
    }
    const rest = source.slice(ast.end);
    if (rest.trim() !== '') throw this.errorAt(ast.end + (rest.length - rest.trimStart().length), `unexpected '${rest.trim()[0]}'`);
    const compiled = this.compile(ast);
    if (!maybeBoolean(compiled.type)) {
      throw this.errorAt(0, `the rule must evaluate to a boolean, not ${compiled.type === 'mixed' ? 'a mix of types' : compiled.type}`);
    }
    return compiled;
  }

  errorAt(offset: number, reason: string): RulesError {
    const { line, column } = lineColumnOf(this.scope.source, offset);
    return new RulesError(reason, { rulesPath: this.scope.rulesPath, line, column, offset }, this.scope.source);
  }

  fail(node: Node, reason: string): never {
    throw this.errorAt(node.start, reason);
  }

  compile(node: Expression | SpreadElement): Compiled {
    switch (node.type) {
      case 'ParenthesizedExpression':
        return this.compile(node.expression);
      case 'Literal':
        return this.literal(node);
      case 'Identifier':
        return this.identifier(node.name, node);
      case 'MemberExpression':
        return this.memberExpression(node);
      case 'CallExpression': {
        if (node.optional) this.fail(node, 'optional calls are not allowed in rules');
        return compileMethodCall(this, node);
      }
      case 'UnaryExpression':
        return this.unary(node);
      case 'BinaryExpression':
        return this.binary(node);
      case 'LogicalExpression':
        return this.logical(node);
      case 'ConditionalExpression': {
        const test = this.expectBoolean(this.compile(node.test), node.test, 'the condition of ?:');
        const yes = this.compile(node.consequent);
        const no = this.compile(node.alternate);
        const t = test.run;
        const y = yes.run;
        const n = no.run;
        return { type: ternaryType(yes.type, no.type), run: (ctx) => (asBoolean(t(ctx), '?:') ? y(ctx) : n(ctx)) };
      }
      case 'ArrayExpression':
        return this.fail(node, 'array literals are only allowed as the argument of hasChildren()');
      default:
        return this.fail(node, `${describeSyntax(node.type)} is not allowed in rules`);
    }
  }

  expectBoolean(compiled: Compiled, node: Node, what: string): Compiled {
    if (!maybeBoolean(compiled.type)) this.fail(node, `${what} must be a boolean, not ${compiled.type}`);
    return compiled;
  }

  private literal(node: Expression & { type: 'Literal' }): Compiled {
    if (node.regex !== undefined) return this.fail(node, 'regular expressions are only allowed as the argument of matches()');
    const value = node.value;
    if (typeof value === 'bigint') return this.fail(node, 'bigint literals are not allowed in rules');
    const type: StaticType = value === null ? 'null' : (typeof value as 'boolean' | 'number' | 'string');
    return { type, run: () => value };
  }

  private identifier(name: string, node: Node): Compiled {
    switch (name) {
      case 'auth':
        return { type: 'auth', run: (ctx) => ctx.auth };
      case 'now':
        this.usesNow = true;
        return { type: 'number', run: (ctx) => ctx.now };
      case 'root':
        return { type: 'snapshot', run: (ctx) => ctx.root };
      case 'data':
        return { type: 'snapshot', run: (ctx) => ctx.data };
      case 'newData':
        if (this.scope.kind === '.read') return this.fail(node, 'newData is not available in .read rules');
        return { type: 'snapshot', run: (ctx) => ctx.newData };
      case 'query':
        if (this.scope.kind !== '.read') return this.fail(node, `query is only available in .read rules`);
        return { type: 'query', run: (ctx) => ctx.query };
    }
    if (name.startsWith('$')) {
      const index = this.scope.wildcards.lastIndexOf(name);
      if (index < 0) return this.fail(node, `unknown variable ${name}: no such wildcard on this rules path`);
      return { type: 'string', run: (ctx) => ctx.vars[index] };
    }
    return this.fail(node, `unknown variable ${name}`);
  }

  private memberExpression(node: Expression & { type: 'MemberExpression' }): Compiled {
    if (node.optional) this.fail(node, 'optional chaining is not allowed in rules');
    if (node.object.type === 'Super' || node.property.type === 'PrivateIdentifier') this.fail(node, 'not allowed in rules');
    const object = this.compile(node.object);
    const objectRun = object.run;
    if (!node.computed) {
      const name = (node.property as { name: string }).name;
      return this.namedMember(object, name, node);
    }
    const key = this.compile(node.property as Expression);
    if (key.type === 'boolean' || key.type === 'null' || key.type === 'snapshot') this.fail(node.property, `a member name must be a string, not ${key.type}`);
    if (node.property.type === 'Literal' && typeof node.property.value === 'string') {
      return this.namedMember(object, node.property.value, node);
    }
    if (object.type !== 'auth' && object.type !== 'any') this.fail(node, `computed members are not allowed on ${object.type}`);
    const keyRun = key.run;
    return { type: 'any', run: (ctx) => member(objectRun(ctx), keyRun(ctx)) };
  }

  private namedMember(object: Compiled, name: string, node: Node): Compiled {
    const objectRun = object.run;
    switch (object.type) {
      case 'snapshot':
        return this.fail(node, `snapshots have no property ${name}; call a method such as ${name === 'value' ? 'val()' : 'child()'}`);
      case 'query': {
        const type = ownEntry(QUERY_MEMBERS, name);
        if (type === undefined) return this.fail(node, `query has no member ${name}`);
        return { type, run: (ctx) => member(objectRun(ctx), name) };
      }
      case 'auth':
        return { type: ownEntry(AUTH_MEMBERS, name) ?? 'any', run: (ctx) => member(objectRun(ctx), name) };
      case 'string':
      case 'value':
      case 'mixed':
        // A value read from the database has no members but a string's length (rules reference, "val()").
        if (name !== 'length') return this.fail(node, `${object.type === 'string' ? 'strings' : 'values'} have no property ${name}${object.type === 'value' ? '; use child() on the snapshot' : ''}`);
        return { type: 'number', run: (ctx) => member(objectRun(ctx), name) };
      case 'any':
        return { type: 'any', run: (ctx) => member(objectRun(ctx), name) };
      default:
        return this.fail(node, `${object.type} has no property ${name}`);
    }
  }

  private unary(node: Expression & { type: 'UnaryExpression' }): Compiled {
    const argument = this.compile(node.argument);
    const run = argument.run;
    if (node.operator === '!') {
      this.expectBoolean(argument, node.argument, "the operand of '!'");
      return { type: 'boolean', run: (ctx) => !asBoolean(run(ctx), "'!'") };
    }
    if (node.operator === '-') {
      if (argument.type !== 'number' && !isDynamic(argument.type) && argument.type !== 'auth') this.fail(node, `unary '-' needs a number, not ${argument.type}`);
      return { type: 'number', run: (ctx) => negate(run(ctx)) };
    }
    return this.fail(node, `operator '${node.operator}' is not allowed in rules`);
  }

  private binary(node: Expression & { type: 'BinaryExpression' }): Compiled {
    if (node.left.type === 'PrivateIdentifier') return this.fail(node, 'not allowed in rules');
    const left = this.compile(node.left);
    const right = this.compile(node.right);
    const l = left.run;
    const r = right.run;
    const op = node.operator;
    if (!BINARY_OPERATORS.has(op)) return this.fail(node, `operator '${op}' is not allowed in rules`);
    for (const [side, operand] of [[left, node.left], [right, node.right]] as const) {
      if (side.type === 'snapshot' || side.type === 'query' || side.type === 'auth' && op !== '==' && op !== '===' && op !== '!=' && op !== '!==') {
        this.fail(operand, `a ${side.type} cannot be an operand of '${op}'${side.type === 'snapshot' ? '; use val()' : ''}`);
      }
    }
    switch (op) {
      case '==':
      case '===':
        return { type: 'boolean', run: (ctx) => equals(l(ctx), r(ctx)) };
      case '!=':
      case '!==':
        return { type: 'boolean', run: (ctx) => !equals(l(ctx), r(ctx)) };
      case '<':
      case '<=':
      case '>':
      case '>=': {
        this.expectOrdered(left, node.left, op);
        this.expectOrdered(right, node.right, op);
        const cmp = compare(op);
        return { type: 'boolean', run: (ctx) => cmp(l(ctx), r(ctx)) };
      }
      case '+': {
        this.expectAddable(left, node.left);
        this.expectAddable(right, node.right);
        const type: StaticType =
          left.type === 'number' && right.type === 'number' ? 'number' : left.type === 'string' || right.type === 'string' ? 'string' : 'any';
        return { type, run: (ctx) => add(l(ctx), r(ctx)) };
      }
      case '-':
      case '*':
      case '/':
      case '%': {
        for (const [side, operand] of [[left, node.left], [right, node.right]] as const) {
          if (side.type !== 'number' && !isDynamic(side.type)) this.fail(operand, `'${op}' needs numbers, not ${side.type}`);
        }
        const apply = arithmetic(op);
        return { type: 'number', run: (ctx) => apply(l(ctx), r(ctx)) };
      }
      default:
        return this.fail(node, `operator '${op}' is not allowed in rules`);
    }
  }

  private expectOrdered(side: Compiled, node: Node, op: string): void {
    if (side.type !== 'number' && side.type !== 'string' && !isDynamic(side.type)) this.fail(node, `'${op}' needs numbers or strings, not ${side.type}`);
  }

  private expectAddable(side: Compiled, node: Node): void {
    if (side.type !== 'number' && side.type !== 'string' && !isDynamic(side.type)) this.fail(node, `'+' needs numbers or strings, not ${side.type}`);
  }

  private logical(node: Expression & { type: 'LogicalExpression' }): Compiled {
    if (node.operator === '??') return this.fail(node, "operator '??' is not allowed in rules");
    const l = this.expectBoolean(this.compile(node.left), node.left, `the left operand of '${node.operator}'`).run;
    const r = this.expectBoolean(this.compile(node.right), node.right, `the right operand of '${node.operator}'`).run;
    // Short-circuit like JavaScript: `auth != null && root.child(auth.uid)...` must not fail for null auth.
    if (node.operator === '&&') return { type: 'boolean', run: (ctx) => asBoolean(l(ctx), "'&&'") && asBoolean(r(ctx), "'&&'") };
    return { type: 'boolean', run: (ctx) => asBoolean(l(ctx), "'||'") || asBoolean(r(ctx), "'||'") };
  }
}

function ternaryType(yes: StaticType, no: StaticType): StaticType {
  if (yes === no) return yes;
  if ((maybeBoolean(yes) && isDynamic(no)) || (isDynamic(yes) && maybeBoolean(no))) return 'any';
  return 'mixed';
}

function describeSyntax(type: string): string {
  const names: Record<string, string> = {
    AssignmentExpression: 'assignment',
    UpdateExpression: "'++'/'--'",
    ArrowFunctionExpression: 'a function',
    FunctionExpression: 'a function',
    ObjectExpression: 'an object literal',
    SequenceExpression: "the ',' operator",
    TemplateLiteral: 'a template string',
    TaggedTemplateExpression: 'a template string',
    NewExpression: "'new'",
    ThisExpression: "'this'",
    ChainExpression: 'optional chaining',
    SpreadElement: 'spread',
    AwaitExpression: "'await'",
    YieldExpression: "'yield'",
    ClassExpression: 'a class',
    ImportExpression: 'import',
    MetaProperty: 'a meta property',
  };
  return names[type] ?? type;
}
