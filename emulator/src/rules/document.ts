// Parses a rules document (JSON with comments) into a tree of compiled rules (spec §4.1;
// rules reference). Any problem rejects the whole document with the rules path where it is.
import stripJsonComments from 'strip-json-comments';
import { compileRule, type CompiledRule, type RuleKind } from './expression.js';
import { RulesError, lineColumnOf } from './errors.js';

export interface RuleNode {
  readonly read: CompiledRule | null;
  readonly write: CompiledRule | null;
  readonly validate: CompiledRule | null;
  readonly indexOn: readonly string[];
  /** Explicitly named children; they win over the wildcard (spec §4.2). */
  readonly children: ReadonlyMap<string, RuleNode>;
  readonly wildcard: { readonly name: string; readonly node: RuleNode } | null;
}

const RULE_KINDS: readonly RuleKind[] = ['.read', '.write', '.validate'];
const WILDCARD_NAME = /^\$[A-Za-z_][A-Za-z0-9_]*$/;
// Keys can never contain these (SDK core/util/validation.ts INVALID_KEY_REGEX_).
const INVALID_KEY = /[.#$[\]/\u0000-\u001f\u007f]/;

export function parseRulesDocument(source: string): RuleNode {
  const json = parseJsonWithComments(source);
  if (!isPlainObject(json) || !('rules' in json)) {
    throw new RulesError('the document must be an object with a "rules" key, e.g. {"rules": {".read": true}}', { rulesPath: '/' });
  }
  for (const key of Object.keys(json)) {
    if (key !== 'rules') throw new RulesError(`unknown top-level key "${key}"; only "rules" is allowed`, { rulesPath: `/${key}` });
  }
  return compileNode(json['rules'], '/rules', []);
}

/**
 * Escapes raw control characters (a newline typed inside a long rule) inside string literals:
 * the Firebase console publishes such documents, and JSON.parse alone refuses them. Returns the
 * text and a map from its offsets back to the source's.
 */
export function escapeControlCharsInStrings(text: string): { text: string; toSource(offset: number): number } {
  let out = '';
  const inserted: number[] = []; // output offsets after which 5 extra characters were inserted
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const code = c.charCodeAt(0);
    if (inString && c === '\\') {
      out += c + (text[i + 1] ?? '');
      i++;
    } else if (inString && code < 0x20) {
      inserted.push(out.length);
      out += '\\u' + code.toString(16).padStart(4, '0');
    } else {
      if (c === '"') inString = !inString;
      out += c;
    }
  }
  return {
    text: out,
    toSource(offset) {
      let shift = 0;
      for (const at of inserted) if (at < offset) shift += Math.min(5, offset - at);
      return offset - shift;
    },
  };
}

function parseJsonWithComments(source: string): unknown {
  // Comments become whitespace, so JSON.parse positions still point into the uploaded text.
  const stripped = escapeControlCharsInStrings(stripJsonComments(source, { whitespace: true }));
  try {
    return JSON.parse(stripped.text) as unknown;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const match = /position (\d+)/.exec(message);
    const offset = stripped.toSource(match?.[1] !== undefined ? Number(match[1]) : stripped.text.length);
    const { line, column } = lineColumnOf(source, offset);
    throw new RulesError(`invalid JSON: ${message}`, { rulesPath: '/', line, column, offset });
  }
}

function compileNode(value: unknown, rulesPath: string, wildcards: readonly string[]): RuleNode {
  if (!isPlainObject(value)) {
    throw new RulesError(`expected an object of rules and child keys, got ${JSON.stringify(value)}`, { rulesPath });
  }
  const compiled: Partial<Record<RuleKind, CompiledRule>> = {};
  let indexOn: readonly string[] = [];
  const children = new Map<string, RuleNode>();
  let wildcard: RuleNode['wildcard'] = null;

  for (const [key, child] of Object.entries(value)) {
    const childPath = `${rulesPath}/${key}`;
    if ((RULE_KINDS as readonly string[]).includes(key)) {
      if (typeof child !== 'boolean' && typeof child !== 'string') {
        throw new RulesError(`a rule must be a boolean or an expression string, got ${JSON.stringify(child)}`, { rulesPath: childPath });
      }
      const kind = key as RuleKind;
      compiled[kind] = compileRule(child, { kind, wildcards, rulesPath: childPath, source: String(child) });
    } else if (key === '.indexOn') {
      indexOn = parseIndexOn(child, childPath);
    } else if (key.startsWith('.')) {
      throw new RulesError(`unknown rule "${key}"; expected .read, .write, .validate or .indexOn`, { rulesPath: childPath });
    } else if (key.startsWith('$')) {
      if (!WILDCARD_NAME.test(key)) throw new RulesError(`invalid wildcard name "${key}"; use $ and letters, digits or _`, { rulesPath: childPath });
      if (wildcard !== null) {
        throw new RulesError(`two wildcards at one level (${wildcard.name} and ${key}); keep one`, { rulesPath: childPath });
      }
      if (wildcards.includes(key)) throw new RulesError(`wildcard ${key} is already used higher on this path; rename one`, { rulesPath: childPath });
      wildcard = { name: key, node: compileNode(child, childPath, [...wildcards, key]) };
    } else {
      if (key.length === 0 || INVALID_KEY.test(key)) {
        throw new RulesError(`invalid key "${key}": keys cannot be empty or contain . # $ [ ] / or control characters`, { rulesPath: childPath });
      }
      children.set(key, compileNode(child, childPath, wildcards));
    }
  }
  return {
    read: compiled['.read'] ?? null,
    write: compiled['.write'] ?? null,
    validate: compiled['.validate'] ?? null,
    indexOn,
    children,
    wildcard,
  };
}

function parseIndexOn(value: unknown, rulesPath: string): readonly string[] {
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || !list.every((item): item is string => typeof item === 'string' && item.length > 0)) {
    throw new RulesError(`.indexOn must be a child key or an array of child keys, got ${JSON.stringify(value)}`, { rulesPath });
  }
  return Object.freeze([...list]);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
