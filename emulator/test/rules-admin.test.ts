// The Admin SDK against rules: the owner credential bypasses every rule, while
// databaseAuthVariableOverride runs the rules as the given `auth` (or as nobody for null),
// as production does (docs/protocol.md §6).
import { RULES_TARGET } from './rules-env.js';
import { deleteApp, initializeApp, type App } from 'firebase-admin/app';
import { getDatabase } from 'firebase-admin/database';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putRules, startRulesTarget, type RulesTarget } from './rules-target.js';

const NS = 'demo-rules-admin';
const RULES = JSON.stringify({
  rules: {
    admins: { '.read': 'auth.token.admin === true', '.write': 'auth.uid == "alice"' },
    open: { '.read': 'auth == null' },
    strict: { '.write': true, '.validate': 'newData.isNumber()' },
  },
});

let target: RulesTarget;
const apps: App[] = [];

function adminApp(name: string, override?: object | null): App {
  const app = initializeApp(
    { projectId: 'demo-rules', databaseURL: `http://${target.host}:${target.port}?ns=${NS}`, ...(override === undefined ? {} : { databaseAuthVariableOverride: override }) },
    name,
  );
  apps.push(app);
  return app;
}

/** 'allowed' or the error code of a rejected operation. */
async function outcome(operation: Promise<unknown>): Promise<string> {
  try {
    await operation;
    return 'allowed';
  } catch (error) {
    return String((error as { code?: string }).code ?? (error as Error).message).toLowerCase();
  }
}

beforeAll(async () => {
  target = await startRulesTarget();
  expect((await putRules(target, NS, RULES)).status).toBe(200);
});

afterAll(async () => {
  await Promise.all(apps.map((app) => deleteApp(app)));
  await target?.stop();
});

describe(`Admin SDK and rules on ${RULES_TARGET}`, () => {
  it('the owner bypasses .read, .write and .validate', async () => {
    const db = getDatabase(adminApp('owner'));
    expect(await outcome(db.ref('strict').set('not a number'))).toBe('allowed');
    expect(await outcome(db.ref('admins').get())).toBe('allowed');
  });

  it('an auth override runs the rules as that user', async () => {
    const alice = getDatabase(adminApp('alice', { uid: 'alice', token: { admin: true } }));
    const bob = getDatabase(adminApp('bob', { uid: 'bob' }));
    expect(await outcome(alice.ref('admins').get())).toBe('allowed');
    expect(await outcome(alice.ref('admins/x').set(1))).toBe('allowed');
    expect(await outcome(bob.ref('admins').get())).toMatch(/permission/);
    expect(await outcome(bob.ref('admins/x').set(1))).toMatch(/permission/);
    expect(await outcome(bob.ref('strict').set('not a number'))).toMatch(/permission/);
  });

  it('a null override runs the rules unauthenticated', async () => {
    const nobody = getDatabase(adminApp('nobody', null));
    expect(await outcome(nobody.ref('open').get())).toBe('allowed');
    expect(await outcome(nobody.ref('admins').get())).toMatch(/permission/);
  });
});
