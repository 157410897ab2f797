// Conformance: credentials (docs/protocol.md §6) — mock ID tokens, owner, authvar/noauth, REST
// token forms — and the opt-in strict token mode.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, onValue, ref, set } from 'firebase/database';
import { adminApp } from './admin.js';
import { clientApp } from './clients.js';
import { freshNamespace, onlyOurs, restUrl, startTarget, waitFor, type Target } from './harness.js';
import { openSse } from './sse-client.js';
import { isPush, isReply, mockToken, request, wireConnect } from './wire-client.js';

const RULES = {
  rules: {
    users: { $uid: { '.read': 'auth != null && auth.uid == $uid', '.write': 'auth != null && auth.uid == $uid' } },
    admins: { '.read': 'auth != null && auth.token.admin == true' },
  },
};

let target: Target;
beforeAll(async () => {
  target = await startTarget();
});
afterAll(async () => {
  await target.stop();
});

async function withRules(): Promise<string> {
  const ns = freshNamespace();
  const res = await fetch(restUrl(target, '.settings/rules', ns), { method: 'PUT', headers: { Authorization: 'Bearer owner' }, body: JSON.stringify(RULES) });
  expect(res.status).toBe(200);
  return ns;
}

describe('client SDK identities', () => {
  it('a mockUserToken user may write only its own node', async () => {
    const ns = await withRules();
    const alice = clientApp(target, ns, { mockUserToken: { sub: 'alice' } });
    try {
      await set(ref(alice.db, 'users/alice/x'), 1);
      await expect(set(ref(alice.db, 'users/bob/x'), 1)).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
      await expect(get(ref(alice.db, 'users/bob'))).rejects.toThrow(/Permission denied/);
      expect((await get(ref(alice.db, 'users/alice'))).val()).toEqual({ x: 1 });
    } finally {
      await alice.close();
    }
  });

  it('unauthenticated clients are denied', async () => {
    const ns = await withRules();
    const anon = clientApp(target, ns);
    try {
      await expect(set(ref(anon.db, 'users/alice/x'), 1)).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    } finally {
      await anon.close();
    }
  });
});

describe('admin SDK identities', () => {
  it('owner bypasses rules; authvar runs rules as that auth; noauth as nobody', async () => {
    const ns = await withRules();
    const owner = adminApp(target, ns);
    const asBob = adminApp(target, ns, { uid: 'bob', token: { admin: true } });
    const nobody = adminApp(target, ns, null);
    try {
      await owner.db.ref('users/alice/secret').set('s');
      await owner.db.ref('admins/list').set({ a: 1 });
      await asBob.db.ref('users/bob/x').set(2);
      await expect(asBob.db.ref('users/alice/x').set(2)).rejects.toThrow(/PERMISSION_DENIED|permission/i);
      expect((await asBob.db.ref('admins').once('value')).val()).toEqual({ list: { a: 1 } });
      await expect(nobody.db.ref('users/bob/x').set(3)).rejects.toThrow(/PERMISSION_DENIED|permission/i);
    } finally {
      await owner.close();
      await asBob.close();
      await nobody.close();
    }
  });
});

describe('REST credentials', () => {
  it('auth=, access_token= and Bearer carry identities; denial is 401 Permission denied', async () => {
    const ns = await withRules();
    const alice = mockToken({ sub: 'alice', user_id: 'alice' });
    expect((await fetch(restUrl(target, 'users/alice', ns, { auth: alice }), { method: 'PUT', body: '1' })).status).toBe(200);
    expect((await fetch(restUrl(target, 'users/alice', ns), { headers: { Authorization: `Bearer ${alice}` } })).status).toBe(200);
    expect((await fetch(restUrl(target, 'users/bob', ns, { access_token: 'owner' }), { method: 'PUT', body: '2' })).status).toBe(200);
    const denied = await fetch(restUrl(target, 'users/bob', ns, { auth: alice }));
    expect(denied.status).toBe(401);
    expect(await denied.json()).toEqual({ error: 'Permission denied' });
    const anon = await fetch(restUrl(target, 'users/bob', ns), { method: 'PUT', body: '3' });
    expect(anon.status).toBe(401);
    expect((await (await fetch(restUrl(target, 'users/bob', ns, { auth: 'owner' }))).json())).toBe(2);
  });

  it('emulator settings are owner-only', async () => {
    const ns = freshNamespace();
    expect((await fetch(restUrl(target, '.settings/rules', ns))).status).toBe(401);
    const alice = mockToken({ sub: 'alice' });
    expect((await fetch(restUrl(target, '.settings/rules', ns, { auth: alice }), { method: 'PUT', body: '{"rules":{}}' })).status).toBe(401);
  });
});

describe('strict token mode', () => {
  it('refuses expired tokens over REST, WebSocket and SSE; revokes live sessions when their token expires', async () => {
    if (!onlyOurs('--strict-tokens is an rtdb-emulator option')) return;
    const strict = await startTarget({ strictTokens: true, tokenMaxAgeSeconds: 3600 });
    try {
      const ns = freshNamespace();
      await fetch(`http://${strict.hostPort}/.settings/rules.json?ns=${ns}`, { method: 'PUT', headers: { Authorization: 'Bearer owner' }, body: JSON.stringify(RULES) });
      const nowS = Math.floor(Date.now() / 1000);
      const expired = mockToken({ sub: 'alice', iat: nowS - 7200, exp: nowS - 3600 });
      const tooOld = mockToken({ sub: 'alice', iat: nowS - 4000, exp: nowS + 3600 });
      // Short-lived tokens get 2–3 s from when they are made: a loaded machine must not let them
      // expire before the listen they are meant to revoke has started.
      const shortLived = (): string => mockToken({ sub: 'alice', iat: nowS, exp: Math.floor(Date.now() / 1000) + 3 });
      const url = (path: string, token: string) => `http://${strict.hostPort}/${path}.json?ns=${ns}&auth=${token}`;
      for (const token of [expired, tooOld]) {
        const res = await fetch(url('users/alice', token));
        expect(res.status).toBe(401);
        expect(await res.json()).toEqual({ error: 'Auth token is expired.' });
      }
      const c = await wireConnect(strict.hostPort, `v=5&ns=${ns}`);
      try {
        c.send(request(1, 'auth', { cred: expired }));
        expect(await c.next(isReply(1))).toEqual({ t: 'd', d: { r: 1, b: { s: 'expired_token', d: 'Auth token is expired.' } } });
        c.send(request(2, 'auth', { cred: shortLived() }));
        c.send(request(3, 'q', { p: '/users/alice', h: '' }));
        expect(await c.next(isReply(3))).toMatchObject({ d: { r: 3, b: { s: 'ok' } } });
        expect(await c.next(isPush('ac'), 0, 10_000)).toEqual({ t: 'd', d: { a: 'ac', b: { s: 'expired_token', d: 'Auth token is expired.' } } });
        expect(await c.next(isPush('c'), 0, 10_000)).toEqual({ t: 'd', d: { a: 'c', b: { p: '/users/alice' } } });
      } finally {
        await c.close();
      }
      const stream = await openSse(url('users/alice', shortLived()));
      try {
        expect(stream.status).toBe(200);
        expect(await stream.next((e) => e.event === 'auth_revoked', 10_000)).toEqual({ event: 'auth_revoked', data: 'Auth token is expired.' });
      } finally {
        stream.close();
      }
    } finally {
      await strict.stop();
      process.env['FIREBASE_DATABASE_EMULATOR_HOST'] = target.hostPort;
    }
  });

  it('refuses tokens without a numeric exp, or whose aud or iss name another project, and says why in the log', async () => {
    if (!onlyOurs('--strict-tokens is an rtdb-emulator option')) return;
    const lines: string[] = [];
    const strict = await startTarget({ strictTokens: true, log: (l) => lines.push(l) });
    try {
      const ns = freshNamespace();
      await fetch(`http://${strict.hostPort}/.settings/rules.json?ns=${ns}`, { method: 'PUT', headers: { Authorization: 'Bearer owner' }, body: JSON.stringify(RULES) });
      const nowS = Math.floor(Date.now() / 1000);
      const url = (token: string) => `http://${strict.hostPort}/users/alice.json?ns=${ns}&auth=${token}`;
      const refused = {
        noExp: mockToken({ sub: 'alice', iat: nowS, exp: undefined }),
        stringExp: mockToken({ sub: 'alice', iat: nowS, exp: String(nowS + 3600) }),
        otherAud: mockToken({ sub: 'alice', iat: nowS, exp: nowS + 3600, aud: 'demo-other' }),
        otherIss: mockToken({ sub: 'alice', iat: nowS, exp: nowS + 3600, iss: 'https://securetoken.google.com/demo-other' }),
      };
      for (const [name, token] of Object.entries(refused)) {
        const res = await fetch(url(token));
        expect(res.status, name).toBe(401);
        expect(await res.json()).toEqual({ error: 'Could not parse auth token.' });
      }
      expect(lines.filter((l) => l.includes('token-refused'))).toHaveLength(4);
      expect(lines.some((l) => l.includes('aud') && l.includes('demo-other'))).toBe(true);
      const c = await wireConnect(strict.hostPort, `v=5&ns=${ns}`);
      try {
        c.send(request(1, 'auth', { cred: refused.otherAud }));
        expect(await c.next(isReply(1))).toEqual({ t: 'd', d: { r: 1, b: { s: 'invalid_token', d: 'Could not parse auth token.' } } });
      } finally {
        await c.close();
      }
      // A usable token still works.
      const good = await fetch(url(mockToken({ sub: 'alice', iat: nowS, exp: nowS + 3600 })));
      expect(good.status).toBe(200);
    } finally {
      await strict.stop();
      process.env['FIREBASE_DATABASE_EMULATOR_HOST'] = target.hostPort;
    }
  });

  it('by default, expired mock tokens (exp 3600 in 1970) are accepted', async () => {
    const ns = await withRules();
    const old = mockToken({ sub: 'alice', iat: 0, exp: 3600 });
    expect((await fetch(restUrl(target, 'users/alice', ns, { auth: old }), { method: 'PUT', body: '1' })).status).toBe(200);
    const c = clientApp(target, ns, { mockUserToken: { sub: 'alice' } });
    let v: unknown = null;
    try {
      const unsub = onValue(ref(c.db, 'users/alice'), (s) => {
        v = s.val();
      });
      await waitFor(() => v === 1, 5000, 'value');
      unsub();
    } finally {
      await c.close();
    }
  });
});
