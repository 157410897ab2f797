import { describe, expect, it } from 'vitest';
import { authVariableFromClaims } from '../auth.js';
import type { AuthVariable, PathSegments } from '../contracts.js';
import { RULES_CASES, mockTokenClaims, pathSegments, toRestParams, toWireQuery, type RulesCase } from './cases.js';
import { rulesQueryFromRest, rulesQueryFromWire } from '../query/rules-query.js';
import { compileRules, jsonView, setAtPath } from './index.js';

const PROJECT_ID = 'demo-rules';

function decide(testCase: RulesCase, queryFrom: 'wire' | 'rest'): 'allow' | 'deny' {
  const ruleset = compileRules(JSON.stringify({ rules: testCase.rules }));
  const data = testCase.data ?? null;
  const auth: AuthVariable | null = testCase.auth === undefined ? null : authVariableFromClaims(mockTokenClaims(testCase.auth, PROJECT_ID));
  const nowMs = Date.now();
  const op = testCase.op;
  if (op.kind === 'read') {
    const query = op.query === undefined ? undefined : queryFrom === 'wire' ? rulesQueryFromWire(toWireQuery(op.query)) : rulesQueryFromRest(toRestParams(op.query));
    const allowed = ruleset.canRead({ path: pathSegments(op.path), auth, root: jsonView(data), nowMs, ...(query === undefined ? {} : { query }) });
    return allowed ? 'allow' : 'deny';
  }
  const writes: Array<[PathSegments, unknown]> =
    op.kind === 'set'
      ? [[pathSegments(op.path), op.value]]
      : Object.entries(op.values).map(([relative, value]) => [[...pathSegments(op.path), ...pathSegments(relative)], value]);
  let newData: unknown = data;
  for (const [path, value] of writes) newData = setAtPath(newData, path, value);
  const allowed = ruleset.canWrite({ paths: writes.map(([path]) => path), auth, root: jsonView(data), newRoot: jsonView(newData), nowMs });
  return allowed ? 'allow' : 'deny';
}

describe('rules cases through the engine', () => {
  it.each(RULES_CASES.map((c) => [c.name, c] as const))('%s', (_name, testCase) => {
    expect(decide(testCase, 'wire')).toBe(testCase.expect);
    if (testCase.op.kind === 'read' && testCase.op.query !== undefined) expect(decide(testCase, 'rest')).toBe(testCase.expect);
  });

  it('covers both outcomes', () => {
    expect(RULES_CASES.filter((c) => c.expect === 'allow').length).toBeGreaterThan(20);
    expect(RULES_CASES.filter((c) => c.expect === 'deny').length).toBeGreaterThan(20);
  });
});
