import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES_SOURCE, RulesError, compileRules, defaultRuleset, jsonView } from './index.js';

function rejection(source: string): RulesError {
  try {
    compileRules(source);
  } catch (error) {
    if (error instanceof RulesError) return error;
    throw error;
  }
  throw new Error('expected the document to be rejected');
}

// [document, rules path named in the error, message fragment]
const REJECTED: ReadonlyArray<readonly [string, string, string]> = [
  ['{"rules": {".read": true,}}', '/', 'invalid JSON'],
  ['[]', '/', 'must be an object with a "rules" key'],
  ['{"rulez": {}}', '/', 'must be an object with a "rules" key'],
  ['{"rules": {}, "extra": 1}', '/extra', 'unknown top-level key'],
  ['{"rules": {"a": {".raed": true}}}', '/rules/a/.raed', 'unknown rule ".raed"'],
  ['{"rules": {"a": {"$x": {}, "$y": {}}}}', '/rules/a/$y', 'two wildcards at one level'],
  ['{"rules": {"$x": {"a": {"$x": {}}}}}', '/rules/$x/a/$x', 'already used higher on this path'],
  ['{"rules": {"a": {".read": 1}}}', '/rules/a/.read', 'must be a boolean or an expression string'],
  ['{"rules": {"a": true}}', '/rules/a', 'expected an object'],
  ['{"rules": {"a": {".indexOn": [1]}}}', '/rules/a/.indexOn', '.indexOn must be'],
  ['{"rules": {"a#b": {}}}', '/rules/a#b', 'invalid key'],
  ['{"rules": {"$bad-name": {}}}', '/rules/$bad-name', 'invalid wildcard name'],
  ['{"rules": {"devices": {"$deviceId": {".write": "auth.uid == $device"}}}}', '/rules/devices/$deviceId/.write', 'unknown variable $device'],
];

describe('rules documents rejected', () => {
  it.each(REJECTED)('%s', (source, rulesPath, fragment) => {
    const error = rejection(source);
    expect(error.rulesPath).toBe(rulesPath);
    expect(error.message).toContain(fragment);
    expect(error.message.startsWith(rulesPath === '/' ? 'rules document' : rulesPath)).toBe(true);
  });

  it('gives the line and column of a JSON syntax error in the uploaded text', () => {
    const error = rejection('{\n  // comment\n  "rules": {\n    ".read": true,,\n  }\n}');
    expect(error.line).toBe(4);
    expect(error.message).toContain('line 4');
  });

  it('names the rules path and the expression position', () => {
    const error = rejection('{"rules": {"devices": {"$deviceId": {".write": "auth != null && auth.uid = 1"}}}}');
    expect(error.message).toMatch(/^\/rules\/devices\/\$deviceId\/\.write at line 1 col \d+ \(char \d+\): /);
  });
});

describe('rules documents accepted', () => {
  it('allows // and /* */ comments and keeps the source verbatim', () => {
    const source = '{\n  // everyone reads\n  "rules": { /* root */ ".read": true, "a": { ".write": "auth != null" /* x */ } }\n}\n';
    const ruleset = compileRules(source);
    expect(ruleset.source).toBe(source);
    expect(ruleset.canRead({ path: ['a'], auth: null, root: jsonView(null), nowMs: 0 })).toBe(true);
  });

  it('keeps .indexOn, as a string or a list', () => {
    const ruleset = compileRules('{"rules": {"a": {".indexOn": "ts", "$id": {".indexOn": ["x", "y"]}}}}');
    expect(ruleset.indexOn(['a'])).toEqual(['ts']);
    expect(ruleset.indexOn(['a', 'k'])).toEqual(['x', 'y']);
    expect(ruleset.indexOn(['b'])).toEqual([]);
  });

  it('default rules allow everything', () => {
    const ruleset = defaultRuleset();
    expect(ruleset.source).toBe(DEFAULT_RULES_SOURCE);
    expect(ruleset.canRead({ path: ['x'], auth: null, root: jsonView(null), nowMs: 0 })).toBe(true);
    expect(ruleset.canWrite({ paths: [['x']], auth: null, root: jsonView(null), newRoot: jsonView({ x: 1 }), nowMs: 0 })).toBe(true);
  });
});

describe('raw control characters inside rule strings', () => {
  it('a newline typed inside a rule string is accepted, as the console publishes it', () => {
    const source = '{"rules": {".read": "auth != null &&\n   auth.uid == \'a\'", ".write": false}}';
    const rules = compileRules(source);
    expect(rules.canRead({ path: [], auth: { uid: 'a' }, root: jsonView(null), nowMs: 0 })).toBe(true);
    expect(rules.canRead({ path: [], auth: { uid: 'b' }, root: jsonView(null), nowMs: 0 })).toBe(false);
  });

  it('positions of later errors still point into the source text', () => {
    const source = '{"rules": {".read": "true\n"}, oops}';
    const error = rejection(source);
    expect(error.message).toContain('invalid JSON');
    expect(error.offset).toBe(source.indexOf('oops'));
  });
});
