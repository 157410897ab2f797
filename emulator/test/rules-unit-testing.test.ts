// @firebase/rules-unit-testing v5, unmodified, against the emulator: the whole public API a
// project's rules tests use, plus live behaviour around rules (revoked listens, uploads).
import { RULES_TARGET } from './rules-env.js';
import { assertFails, assertSucceeds, initializeTestEnvironment, type RulesTestEnvironment } from '@firebase/rules-unit-testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putRules, rest, startRulesTarget, type RulesTarget } from './rules-target.js';

const PROJECT_ID = 'demo-rules-rut';

const RULES = `{
  // Device-owned paths like Firelink's database.rules.json.
  "rules": {
    "admins": { ".read": "auth.token.admin === true" },
    "devices": {
      "$deviceId": {
        /* the device itself, or the owner recorded in meta */
        ".read": "auth != null && (auth.token.device == $deviceId || root.child('devices/' + $deviceId + '/meta/owner').val() == auth.uid)",
        "meta": { ".write": "auth != null && (!data.exists() || data.child('owner').val() == auth.uid)" },
        "readings": {
          "$readingId": {
            ".write": "auth.token.device == $deviceId && !data.exists()",
            ".validate": "newData.hasChildren(['ir', 'seq'])",
            "ir": { ".validate": "newData.isNumber() && newData.val() >= 0 && newData.val() <= 4095" },
            "seq": { ".validate": "newData.isNumber()" },
            "$other": { ".validate": false }
          }
        }
      }
    },
    "docs": { "$docId": { ".read": "data.child('public').val() == true" } },
    "owned": { ".read": "auth != null && query.orderByChild == 'owner' && query.equalTo == auth.uid", ".indexOn": "owner" }
  }
}
`;

let target: RulesTarget;
let env: RulesTestEnvironment;

beforeAll(async () => {
  target = await startRulesTarget();
  env = await initializeTestEnvironment({ projectId: PROJECT_ID, database: { host: target.host, port: target.port, rules: RULES } });
});

afterAll(async () => {
  await env?.cleanup();
  await target?.stop();
});

/** Resolves with the error passed to a listener's cancel callback, or 'not cancelled' after `waitMs`. */
function cancellation(register: (onCancel: (error: Error) => void) => void, waitMs = 10_000): Promise<Error | 'not cancelled'> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve('not cancelled'), waitMs);
    register((error) => {
      clearTimeout(timer);
      resolve(error);
    });
  });
}

describe(`rules-unit-testing v5 against ${RULES_TARGET}`, () => {
  it('authenticatedContext with a device claim appends only to its own readings', async () => {
    await env.clearDatabase();
    const d1 = env.authenticatedContext('d1-uid', { device: 'd1' }).database();
    await assertSucceeds(d1.ref('devices/d1/readings/r1').set({ ir: 12, seq: 1 }));
    await assertFails(d1.ref('devices/d1/readings/r1').set({ ir: 13, seq: 2 })); // no overwrite
    await assertFails(d1.ref('devices/d1/readings/r2').set({ ir: 9000, seq: 2 })); // out of range
    await assertFails(d1.ref('devices/d2/readings/r1').set({ ir: 1, seq: 1 })); // another device
    await assertSucceeds(d1.ref('devices/d1').get());
  });

  it('custom claims reach auth.token', async () => {
    await assertSucceeds(env.authenticatedContext('alice', { admin: true }).database().ref('admins').get());
    await assertFails(env.authenticatedContext('bob').database().ref('admins').get());
  });

  it('unauthenticatedContext is denied', async () => {
    await assertFails(env.unauthenticatedContext().database().ref('devices/d1').get());
    await assertFails(env.unauthenticatedContext().database().ref('devices/d1/meta').set({ owner: 'x' }));
  });

  it('withSecurityRulesDisabled writes anywhere, and an owner can then read by data-dependent rules', async () => {
    await env.withSecurityRulesDisabled(async (context) => {
      await context.database().ref('devices/d7/meta').set({ owner: 'carol', name: 'kitchen' });
    });
    await assertSucceeds(env.authenticatedContext('carol').database().ref('devices/d7').get());
    await assertFails(env.authenticatedContext('dave').database().ref('devices/d7').get());
    await assertFails(env.authenticatedContext('dave').database().ref('devices/d7/meta/name').set('mine'));
  });

  it('clearDatabase removes everything', async () => {
    await env.withSecurityRulesDisabled((context) => context.database().ref('docs/x').set({ public: true }));
    await env.clearDatabase();
    let value: unknown = 'unread';
    await env.withSecurityRulesDisabled(async (context) => {
      value = (await context.database().ref('/').get()).val();
    });
    expect(value).toBeNull();
  });

  it('query-based rules: a listen with the allowed query succeeds, a plain one fails', async () => {
    await env.withSecurityRulesDisabled((context) => context.database().ref('owned').set({ a: { owner: 'erin' }, b: { owner: 'finn' } }));
    const db = env.authenticatedContext('erin').database();
    const snapshot = await assertSucceeds(db.ref('owned').orderByChild('owner').equalTo('erin').get());
    expect(Object.keys(snapshot.val() as object)).toEqual(['a']);
    await assertFails(db.ref('owned').get());
    await assertFails(db.ref('owned').orderByChild('owner').equalTo('finn').get());
  });

  it('revokes a listen when the data its rule depends on changes', async () => {
    await env.withSecurityRulesDisabled((context) => context.database().ref('docs/a').set({ public: true, body: 'hi' }));
    const ref = env.unauthenticatedContext().database().ref('docs/a');
    let firstValue: (value: unknown) => void = () => {};
    const first = new Promise<unknown>((resolve) => (firstValue = resolve));
    const cancelled = cancellation((onCancel) => ref.on('value', (s) => firstValue(s.val()), onCancel));
    expect(await first).toEqual({ public: true, body: 'hi' });
    await env.withSecurityRulesDisabled((context) => context.database().ref('docs/a/public').set(false));
    const error = await cancelled;
    expect(error).not.toBe('not cancelled');
    expect((error as Error & { code?: string }).code?.toLowerCase()).toMatch(/permission[_-]denied/);
  });

  it('revokes a listen when new rules deny it, and restores the rules afterwards', async () => {
    await env.withSecurityRulesDisabled((context) => context.database().ref('docs/b').set({ public: true }));
    const ref = env.unauthenticatedContext().database().ref('docs/b');
    let firstValue: (value: unknown) => void = () => {};
    const first = new Promise<unknown>((resolve) => (firstValue = resolve));
    const cancelled = cancellation((onCancel) => ref.on('value', (s) => firstValue(s.val()), onCancel));
    expect(await first).toEqual({ public: true }); // the listen is live before the rules change
    expect((await putRules(target, PROJECT_ID, '{"rules": {}}')).status).toBe(200);
    expect(await cancelled).not.toBe('not cancelled');
    expect((await putRules(target, PROJECT_ID, RULES)).status).toBe(200);
  });

  it('rejects invalid rules with the rules path and position, keeping the previous rules', async () => {
    const bad = RULES.replace('"auth.token.admin === true"', '"auth.token.admin === "');
    await expect(initializeTestEnvironment({ projectId: PROJECT_ID, database: { host: target.host, port: target.port, rules: bad } })).rejects.toThrow(
      /\/rules\/admins\/\.read.*line 1 col \d+/,
    );
    await assertSucceeds(env.authenticatedContext('alice', { admin: true }).database().ref('admins').get());
    await assertFails(env.authenticatedContext('bob').database().ref('admins').get());
  });

  it('checks transactions and onDisconnect registrations against the rules', async () => {
    await env.clearDatabase();
    const d3 = env.authenticatedContext('d3-uid', { device: 'd3' }).database();
    const committed = await assertSucceeds(d3.ref('devices/d3/readings/t1').transaction(() => ({ ir: 5, seq: 1 })));
    expect(committed.committed).toBe(true);
    await assertFails(d3.ref('devices/d3/readings/t2').transaction(() => ({ ir: 5 }))); // fails .validate
    await assertFails(d3.ref('devices/d4/readings/t1').transaction(() => ({ ir: 5, seq: 1 })));
    await assertSucceeds(d3.ref('devices/d3/readings/t3').onDisconnect().set({ ir: 1, seq: 3 }));
    await assertFails(d3.ref('devices/d4/readings/t1').onDisconnect().set({ ir: 1, seq: 1 }));
  });

  it('serves the uploaded rules verbatim, comments included', async () => {
    const reply = await fetch(`${target.url}/.settings/rules.json?ns=${PROJECT_ID}`, { headers: { Authorization: 'Bearer owner' } });
    expect(reply.status).toBe(200);
    expect(await reply.text()).toBe(RULES);
  });

  it('gives REST the same answers as the SDK, with RTDB\'s denial body', async () => {
    await env.withSecurityRulesDisabled((context) => context.database().ref('devices/d9/meta').set({ owner: 'gina' }));
    const token = (uid: string, claims: Record<string, unknown> = {}): string =>
      `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${Buffer.from(JSON.stringify({ ...claims, sub: uid, user_id: uid, iat: 0, exp: 3600 })).toString('base64url')}.`;
    expect((await rest(target, { ns: PROJECT_ID, method: 'GET', path: '/devices/d9', auth: token('gina') })).status).toBe(200);
    expect(await rest(target, { ns: PROJECT_ID, method: 'GET', path: '/devices/d9', auth: token('hank') })).toEqual({ status: 401, body: { error: 'Permission denied' } });
    expect((await rest(target, { ns: PROJECT_ID, method: 'PUT', path: '/devices/d9/readings/r1', auth: token('d9', { device: 'd9' }), body: { ir: 1, seq: 1 } })).status).toBe(200);
    expect((await rest(target, { ns: PROJECT_ID, method: 'PUT', path: '/devices/d9/readings/r2', auth: token('d9', { device: 'd9' }), body: { ir: 1 } })).status).toBe(401);
  });
});
