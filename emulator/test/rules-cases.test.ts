// The shared rules case table (src/rules/cases.ts) through the real SDK, driven by
// @firebase/rules-unit-testing, and through REST: each case must give the same decision both
// ways, and the same as the engine alone (src/rules/cases.test.ts).
import { RULES_TARGET } from './rules-env.js';
import { assertFails, assertSucceeds, initializeTestEnvironment, type RulesTestEnvironment } from '@firebase/rules-unit-testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RULES_CASES, mockTokenClaims, toRestParams, unsignedJwt, type CaseQuery, type RulesCase } from '../src/rules/cases.js';
import { rest, seed, startRulesTarget, type RulesTarget } from './rules-target.js';

type CompatDatabase = ReturnType<Awaited<ReturnType<RulesTestEnvironment['unauthenticatedContext']>>['database']>;
type CompatQuery = ReturnType<CompatDatabase['ref']>['orderByKey'] extends () => infer Q ? Q : never;

let target: RulesTarget;
beforeAll(async () => {
  target = await startRulesTarget();
});
afterAll(async () => {
  await target?.stop();
});

/** Cases grouped by rules document, so each group needs one environment (one namespace). */
const groups = new Map<string, RulesCase[]>();
for (const testCase of RULES_CASES) {
  const key = JSON.stringify(testCase.rules);
  groups.set(key, [...(groups.get(key) ?? []), testCase]);
}

function applyQuery(ref: ReturnType<CompatDatabase['ref']>, query: CaseQuery): CompatQuery {
  let q: CompatQuery =
    query.orderBy === 'key' ? ref.orderByKey() : query.orderBy === 'value' ? ref.orderByValue() : query.orderBy === 'priority' ? ref.orderByPriority() : ref.orderByChild(query.orderBy.child);
  if (query.startAt !== undefined) q = q.startAt(query.startAt);
  if (query.endAt !== undefined) q = q.endAt(query.endAt);
  if (query.equalTo !== undefined) q = q.equalTo(query.equalTo);
  if (query.limitToFirst !== undefined) q = q.limitToFirst(query.limitToFirst);
  if (query.limitToLast !== undefined) q = q.limitToLast(query.limitToLast);
  return q;
}

function sdkOperation(db: CompatDatabase, testCase: RulesCase): Promise<unknown> {
  const op = testCase.op;
  const ref = db.ref(op.path);
  if (op.kind === 'read') return op.query === undefined ? ref.get() : applyQuery(ref, op.query).get();
  if (op.kind === 'set') return ref.set(op.value);
  return ref.update(op.values);
}

async function restDecision(ns: string, projectId: string, testCase: RulesCase): Promise<'allow' | 'deny'> {
  const op = testCase.op;
  const auth = testCase.auth === undefined ? {} : { auth: unsignedJwt(mockTokenClaims(testCase.auth, projectId)) };
  const reply =
    op.kind === 'read'
      ? await rest(target, { ns, method: 'GET', path: op.path, ...auth, ...(op.query === undefined ? {} : { params: toRestParams(op.query) }) })
      : op.kind === 'set'
        ? await rest(target, { ns, method: 'PUT', path: op.path, body: op.value, ...auth })
        : await rest(target, { ns, method: 'PATCH', path: op.path, body: op.values, ...auth });
  if (reply.status === 200) return 'allow';
  // RTDB's REST denial (docs/protocol.md §12): 401 with this exact body.
  expect(reply, `REST ${op.kind} ${op.path}`).toEqual({ status: 401, body: { error: 'Permission denied' } });
  return 'deny';
}

let groupIndex = 0;
for (const cases of groups.values()) {
  const projectId = `demo-rules-g${groupIndex++}`;
  describe(`rules group ${projectId}: ${JSON.stringify(cases[0]!.rules).slice(0, 80)}`, () => {
    let env: RulesTestEnvironment;
    beforeAll(async () => {
      env = await initializeTestEnvironment({
        projectId,
        database: { host: target.host, port: target.port, rules: JSON.stringify({ rules: cases[0]!.rules }, null, 2) },
      });
    });
    afterAll(async () => {
      await env?.cleanup();
    });

    it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, testCase) => {
      // rules-unit-testing addresses the namespace named after the project.
      const ns = projectId;
      await seed(target, ns, testCase.data ?? null);
      const context = testCase.auth === undefined ? env.unauthenticatedContext() : env.authenticatedContext(testCase.auth.uid, testCase.auth.claims);
      const pending = sdkOperation(context.database(), testCase);
      if (testCase.expect === 'allow') await assertSucceeds(pending);
      else await assertFails(pending);

      await seed(target, ns, testCase.data ?? null);
      expect(await restDecision(ns, projectId, testCase), `REST decision on ${RULES_TARGET}`).toBe(testCase.expect);
    });
  });
}
