// The shared table of rules decisions. The same cases run against the engine directly
// (cases.test.ts) and through the SDK and REST against a running emulator
// (test/rules-cases.test.ts), so all three must agree. Expectations follow the Firebase
// rules reference and docs/protocol.md §16; each case names the construct it covers.

export interface CaseAuth {
  uid: string;
  claims?: Record<string, unknown>;
}

export interface CaseQuery {
  orderBy: 'key' | 'value' | 'priority' | { child: string };
  startAt?: string | number | boolean | null;
  endAt?: string | number | boolean | null;
  equalTo?: string | number | boolean | null;
  limitToFirst?: number;
  limitToLast?: number;
}

export type CaseOp =
  | { kind: 'read'; path: string; query?: CaseQuery }
  | { kind: 'set'; path: string; value: unknown }
  | { kind: 'update'; path: string; values: Record<string, unknown> };

export interface RulesCase {
  name: string;
  /** The value of the document's "rules" key. */
  rules: Record<string, unknown>;
  /** Export-format data present before the operation. */
  data?: unknown;
  /** Null or absent: unauthenticated. */
  auth?: CaseAuth;
  op: CaseOp;
  expect: 'allow' | 'deny';
}

const alice: CaseAuth = { uid: 'alice' };
const bob: CaseAuth = { uid: 'bob' };
const read = (path: string, query?: CaseQuery): CaseOp => (query === undefined ? { kind: 'read', path } : { kind: 'read', path, query });
const set = (path: string, value: unknown): CaseOp => ({ kind: 'set', path, value });
const update = (path: string, values: Record<string, unknown>): CaseOp => ({ kind: 'update', path, values });
/** Rules with one write rule at /t/$k; the case writes /t/v ($k = 'v'). */
const expr = (name: string, expression: string, value: unknown, expect: 'allow' | 'deny', data?: unknown, auth?: CaseAuth): RulesCase => ({
  name: `expression: ${name}`,
  rules: { t: { $k: { '.write': expression } } },
  ...(data === undefined ? {} : { data }),
  ...(auth === undefined ? {} : { auth }),
  op: set('/t/v', value),
  expect,
});

const DEVICE_RULES = {
  devices: {
    $deviceId: {
      '.read': "auth != null && (auth.token.device == $deviceId || root.child('devices/' + $deviceId + '/meta/owner').val() == auth.uid)",
      readings: {
        $readingId: {
          '.write': 'auth != null && auth.token.device == $deviceId && !data.exists()',
          '.validate': "newData.hasChildren(['ir', 'seq'])",
          ir: { '.validate': 'newData.isNumber() && newData.val() >= 0 && newData.val() <= 4095' },
          seq: { '.validate': 'newData.isNumber() && newData.val() % 1 == 0' },
          temp: { '.validate': 'newData.isNumber()' },
          $other: { '.validate': false },
        },
      },
    },
  },
};

const QUERY_RULES = {
  messages: {
    '.read': "query.orderByChild == 'ts' && query.limitToFirst <= 10",
    '.indexOn': ['ts'],
  },
  owned: { '.read': "auth != null && query.orderByChild == 'owner' && query.equalTo == auth.uid", '.indexOn': 'owner' },
  keyed: { '.read': 'query.orderByKey && query.startAt >= "b"' },
  valued: { '.read': 'query.orderByValue == true && query.limitToLast != null && query.limitToLast < 3' },
};

export const RULES_CASES: readonly RulesCase[] = [
  // Cascade of .read / .write.
  { name: 'cascade: read granted at root cannot be revoked deeper', rules: { '.read': true, a: { '.read': false } }, op: read('/a'), expect: 'allow' },
  { name: 'cascade: read granted at a child', rules: { a: { '.read': true } }, op: read('/a/b'), expect: 'allow' },
  { name: 'cascade: grant below does not open the parent', rules: { a: { b: { '.read': true } } }, op: read('/a'), expect: 'deny' },
  { name: 'cascade: no rule means deny', rules: { other: { '.read': true } }, op: read('/a'), expect: 'deny' },
  { name: 'cascade: write granted above a false .write', rules: { a: { '.write': true, b: { '.write': false } } }, op: set('/a/b', 1), expect: 'allow' },
  { name: 'cascade: .write below the written path is not consulted', rules: { a: { b: { '.write': true } } }, op: set('/a', { b: 1 }), expect: 'deny' },
  // .validate: every touched node, not cascading, skipped for deletes.
  { name: 'validate: nested rule inside the written value', rules: { a: { '.write': true, b: { '.validate': false } } }, op: set('/a', { b: 1 }), expect: 'deny' },
  { name: 'validate: a delete is never blocked', rules: { a: { '.write': true, '.validate': false } }, data: { a: 1 }, op: set('/a', null), expect: 'allow' },
  { name: 'validate: does not cascade to children', rules: { a: { '.write': true, '.validate': true, b: { '.validate': false } } }, op: set('/a/c', 1), expect: 'allow' },
  { name: 'validate: a parent rule sees the merged new data (missing field)', rules: { u: { '.write': true, '.validate': "newData.hasChildren(['name', 'age'])" } }, op: set('/u/age', 3), expect: 'deny' },
  { name: 'validate: a parent rule sees the merged new data (field present)', rules: { u: { '.write': true, '.validate': "newData.hasChildren(['name', 'age'])" } }, data: { u: { name: 'x' } }, op: set('/u/age', 3), expect: 'allow' },
  { name: 'validate: $other false rejects unknown keys', rules: { u: { '.write': true, name: { '.validate': true }, $other: { '.validate': false } } }, op: set('/u', { name: 'x', extra: 1 }), expect: 'deny' },
  { name: 'validate: absent children are not validated', rules: { u: { '.write': true, name: { '.validate': true }, nick: { '.validate': false } } }, op: set('/u', { name: 'x' }), expect: 'allow' },
  { name: 'validate: false literal blocks a non-null write', rules: { a: { '.write': true, '.validate': false } }, op: set('/a', 1), expect: 'deny' },
  // Multi-path updates: one atomic check over the combined new state.
  { name: 'update: one denied path denies all', rules: { a: { '.write': true }, b: { '.write': false } }, op: update('/', { a: 1, b: 2 }), expect: 'deny' },
  { name: 'update: all paths allowed', rules: { a: { '.write': true }, b: { '.write': true } }, op: update('/', { a: 1, 'b/c': 2 }), expect: 'allow' },
  { name: 'update: parent validate sees all fields', rules: { x: { '.write': true, '.validate': "newData.hasChildren(['a', 'b'])" } }, op: update('/x', { a: 1, b: 2 }), expect: 'allow' },
  { name: 'update: parent validate with a field missing', rules: { x: { '.write': true, '.validate': "newData.hasChildren(['a', 'b'])" } }, op: update('/x', { a: 1 }), expect: 'deny' },
  { name: 'update: newData of a sibling includes the other write (match)', rules: { x: { '.write': true, a: { '.validate': "newData.parent().child('b').val() == 2" } } }, op: update('/x', { a: 1, b: 2 }), expect: 'allow' },
  { name: 'update: newData of a sibling includes the other write (mismatch)', rules: { x: { '.write': true, a: { '.validate': "newData.parent().child('b').val() == 2" } } }, op: update('/x', { a: 1, b: 3 }), expect: 'deny' },
  { name: 'update: deleting via null passes validate', rules: { x: { '.write': true, a: { '.validate': false } } }, data: { x: { a: 1, b: 1 } }, op: update('/x', { a: null, b: 2 }), expect: 'allow' },
  // Wildcards.
  { name: 'wildcard: $uid matches auth.uid', rules: { users: { $uid: { '.write': '$uid == auth.uid' } } }, auth: alice, op: set('/users/alice', 1), expect: 'allow' },
  { name: 'wildcard: $uid differs from auth.uid', rules: { users: { $uid: { '.write': '$uid == auth.uid' } } }, auth: bob, op: set('/users/alice', 1), expect: 'deny' },
  { name: 'wildcard: the explicit name wins over $id', rules: { items: { special: { '.read': false }, $id: { '.write': true } } }, op: set('/items/special', 1), expect: 'deny' },
  { name: 'wildcard: other keys use $id', rules: { items: { special: { '.read': false }, $id: { '.write': true } } }, op: set('/items/plain', 1), expect: 'allow' },
  { name: 'wildcard: two levels captured', rules: { a: { $x: { b: { $y: { '.write': "$x + '-' + $y == 'p-q'" } } } } }, op: set('/a/p/b/q', 1), expect: 'allow' },
  { name: 'wildcard: used in a root path', rules: { posts: { $uid: { '.write': "root.child('admins/' + $uid).val() == true" } } }, data: { admins: { alice: true } }, op: set('/posts/alice', 1), expect: 'allow' },
  { name: 'wildcard: used in a root path (absent)', rules: { posts: { $uid: { '.write': "root.child('admins/' + $uid).val() == true" } } }, data: { admins: { alice: true } }, op: set('/posts/bob', 1), expect: 'deny' },
  { name: 'wildcard: __proto__ is an ordinary key', rules: { items: { $id: { '.write': "$id == '__proto__' && newData.child('x').val() == 1" } } }, op: set('/items/__proto__', { x: 1 }), expect: 'allow' },
  { name: 'snapshot: a __proto__ child is ordinary data', rules: { '.read': "root.child('__proto__/x').val() == 1 && !root.child('toString').exists()" }, data: { ['__proto__']: { x: 1 } }, op: read('/a'), expect: 'allow' },
  // auth.
  { name: 'auth: unauthenticated read of auth.uid is null', rules: { '.read': 'auth == null && auth.uid == null' }, op: read('/x'), expect: 'allow' },
  { name: 'auth: authenticated', rules: { '.read': 'auth != null' }, auth: alice, op: read('/x'), expect: 'allow' },
  { name: 'auth: unauthenticated denied', rules: { '.read': 'auth != null' }, op: read('/x'), expect: 'deny' },
  { name: 'auth: custom claim', rules: { '.read': 'auth.token.admin === true' }, auth: { uid: 'a', claims: { admin: true } }, op: read('/x'), expect: 'allow' },
  { name: 'auth: missing custom claim', rules: { '.read': 'auth.token.admin === true' }, auth: alice, op: read('/x'), expect: 'deny' },
  { name: 'auth: provider of a mock token', rules: { '.read': "auth.provider == 'custom' && auth.token.firebase.sign_in_provider == 'custom'" }, auth: alice, op: read('/x'), expect: 'allow' },
  { name: 'auth: token.sub and computed member', rules: { '.read': "auth.token['sub'] == auth.uid" }, auth: alice, op: read('/x'), expect: 'allow' },
  { name: 'auth: email claim with endsWith', rules: { '.read': "auth.token.email.endsWith('@example.com')" }, auth: { uid: 'e', claims: { email: 'e@example.com' } }, op: read('/x'), expect: 'allow' },
  // Device rule set like the project's.
  { name: 'devices: device appends a valid reading', rules: DEVICE_RULES, auth: { uid: 'd1uid', claims: { device: 'd1' } }, op: set('/devices/d1/readings/r1', { ir: 100, seq: 1 }), expect: 'allow' },
  { name: 'devices: reading out of range', rules: DEVICE_RULES, auth: { uid: 'd1uid', claims: { device: 'd1' } }, op: set('/devices/d1/readings/r1', { ir: 5000, seq: 1 }), expect: 'deny' },
  { name: 'devices: reading with an unknown field', rules: DEVICE_RULES, auth: { uid: 'd1uid', claims: { device: 'd1' } }, op: set('/devices/d1/readings/r1', { ir: 1, seq: 1, x: 1 }), expect: 'deny' },
  { name: 'devices: reading missing seq', rules: DEVICE_RULES, auth: { uid: 'd1uid', claims: { device: 'd1' } }, op: set('/devices/d1/readings/r1', { ir: 1 }), expect: 'deny' },
  { name: 'devices: another device cannot write', rules: DEVICE_RULES, auth: { uid: 'd2uid', claims: { device: 'd2' } }, op: set('/devices/d1/readings/r1', { ir: 1, seq: 1 }), expect: 'deny' },
  { name: 'devices: readings cannot be overwritten', rules: DEVICE_RULES, auth: { uid: 'd1uid', claims: { device: 'd1' } }, data: { devices: { d1: { readings: { r1: { ir: 1, seq: 1 } } } } }, op: set('/devices/d1/readings/r1', { ir: 2, seq: 1 }), expect: 'deny' },
  { name: 'devices: the owner reads', rules: DEVICE_RULES, auth: alice, data: { devices: { d1: { meta: { owner: 'alice' } } } }, op: read('/devices/d1'), expect: 'allow' },
  { name: 'devices: a stranger cannot read', rules: DEVICE_RULES, auth: bob, data: { devices: { d1: { meta: { owner: 'alice' } } } }, op: read('/devices/d1'), expect: 'deny' },
  // Runtime type errors make the rule false.
  expr('null + 1 fails', 'data.val() + 1 > 0', 1, 'deny'),
  expr("'1' == 1 is false", "'1' == 1", 1, 'deny'),
  expr('an error under ! stays false', "!(newData.val() > 5)", 'x', 'deny'),
  expr('length of a missing value', "newData.parent().child('nope').val().length > 0", 1, 'deny'),
  expr('method on a number fails', 'newData.val().contains(\'1\')', 1, 'deny'),
  expr('&& short-circuits over an error', "auth != null && auth.uid.length > 0", 1, 'deny'),
  expr('|| short-circuits', 'true || newData.val() > 1', 'x', 'allow'),
  expr('|| short-circuits over an error', 'auth == null || auth.uid.length > 0', 1, 'allow'),
  expr('string + number concatenates', "1 + 'a' == '1a'", 1, 'allow'),
  expr('division by zero is NaN', "(1 / 0 + '') == 'NaN'", 1, 'allow'),
  expr('NaN compares false', '1 / 0 > 2 || 1 / 0 < 2', 1, 'deny'),
  expr('a non-boolean rule result is false', 'newData.val()', 'yes', 'deny'),
  expr('a boolean value as rule result', 'newData.val()', true, 'allow'),
  expr('parent() of the root fails', 'root.parent().exists() || true', 1, 'deny'),
  // Operators.
  expr('arithmetic', 'newData.val() * 2 - 1 == 5 && newData.val() % 2 == 1 && -newData.val() == -3', 3, 'allow'),
  expr('relational on strings', "newData.val() >= 'b' && newData.val() < 'c'", 'bob', 'allow'),
  expr('!== and !=', "newData.val() !== 'a' && newData.val() != 1", 'b', 'allow'),
  expr('ternary', "newData.isString() ? newData.val().length < 3 : newData.val() < 3", 'abcd', 'deny'),
  expr('now is a number in the past of the write', 'newData.val() <= now && now > 1600000000000', 1000, 'allow'),
  expr('now is not in the future', 'newData.val() > now', 1000, 'deny'),
  // Snapshot methods.
  expr('hasChildren() on a leaf', 'newData.hasChildren()', 1, 'deny'),
  expr('hasChildren() on an object', 'newData.hasChildren()', { a: 1 }, 'allow'),
  expr('hasChildren(list)', "newData.hasChildren(['a', 'b'])", { a: 1, b: 2 }, 'allow'),
  expr('hasChild with a deep path', "newData.hasChild('a/b')", { a: { b: 1 } }, 'allow'),
  expr('child with a deep path', "newData.child('a/b').val() == 1", { a: { b: 1 } }, 'allow'),
  expr('isNumber / isString / isBoolean', "newData.child('n').isNumber() && newData.child('s').isString() && newData.child('b').isBoolean() && !newData.child('s').isNumber()", { n: 1, s: 'x', b: false }, 'allow'),
  expr('getPriority', 'newData.getPriority() == 5', { '.value': 1, '.priority': 5 }, 'allow'),
  expr('data vs newData: create only', '!data.exists()', 2, 'deny', { t: { v: 1 } }),
  expr('data vs newData: create only (new)', '!data.exists() && newData.exists()', 2, 'allow'),
  expr('data.val() before the write', 'data.val() == 1 && newData.val() == 2', 2, 'allow', { t: { v: 1 } }),
  expr('root is the state before the write', "root.child('t/v').val() == 1", 2, 'allow', { t: { v: 1 } }),
  expr('newData.parent() sees siblings', "newData.parent().child('w').val() == 'x'", 2, 'allow', { t: { w: 'x' } }),
  // String members.
  expr('length', 'newData.val().length == 5', 'hello', 'allow'),
  expr('contains / beginsWith / endsWith', "newData.val().contains('ll') && newData.val().beginsWith('he') && newData.val().endsWith('lo')", 'hello', 'allow'),
  expr('replace replaces every occurrence', "newData.val().replace('a', 'b') == 'bbb'", 'aba', 'allow'),
  expr('toLowerCase / toUpperCase', "newData.val().toLowerCase() == 'abc' && newData.val().toUpperCase() == 'ABC'", 'aBc', 'allow'),
  expr('matches with anchors', 'newData.val().matches(/^[a-z]+[0-9]{2}$/)', 'abc12', 'allow'),
  expr('matches anchored rejects', 'newData.val().matches(/^[a-z]+$/)', 'abc12', 'deny'),
  expr('matches with the i flag', 'newData.val().matches(/^hello$/i)', 'HeLLo', 'allow'),
  expr('matches is case sensitive without i', 'newData.val().matches(/^hello$/)', 'HeLLo', 'deny'),
  expr('matches with classes and escapes', "newData.val().matches(/^\\d+\\.\\d+\\s\\w$/)", '12.5 x', 'allow'),
  expr('matches on a $wildcard', "$k.matches(/^v$/)", 1, 'allow'),
  // Query-based reads, checked at the query location.
  { name: 'query: allowed order and limit', rules: QUERY_RULES, op: read('/messages', { orderBy: { child: 'ts' }, limitToFirst: 5 }), expect: 'allow' },
  { name: 'query: limit too large', rules: QUERY_RULES, op: read('/messages', { orderBy: { child: 'ts' }, limitToFirst: 20 }), expect: 'deny' },
  { name: 'query: wrong order', rules: QUERY_RULES, op: read('/messages', { orderBy: { child: 'other' }, limitToFirst: 5 }), expect: 'deny' },
  { name: 'query: plain read has no limit', rules: QUERY_RULES, op: read('/messages'), expect: 'deny' },
  { name: 'query: equalTo auth.uid', rules: QUERY_RULES, auth: alice, op: read('/owned', { orderBy: { child: 'owner' }, equalTo: 'alice' }), expect: 'allow' },
  { name: 'query: equalTo another uid', rules: QUERY_RULES, auth: alice, op: read('/owned', { orderBy: { child: 'owner' }, equalTo: 'bob' }), expect: 'deny' },
  { name: 'query: orderByKey with startAt', rules: QUERY_RULES, op: read('/keyed', { orderBy: 'key', startAt: 'c' }), expect: 'allow' },
  { name: 'query: orderByKey startAt too low', rules: QUERY_RULES, op: read('/keyed', { orderBy: 'key', startAt: 'a' }), expect: 'deny' },
  { name: 'query: orderByValue limitToLast', rules: QUERY_RULES, op: read('/valued', { orderBy: 'value', limitToLast: 2 }), expect: 'allow' },
  { name: 'query: orderByValue limitToLast too large', rules: QUERY_RULES, op: read('/valued', { orderBy: 'value', limitToLast: 5 }), expect: 'deny' },
  {
    name: 'query: a plain read is ordered by key, without bounds or limits',
    rules: { '.read': 'query.orderByKey == true && query.orderByPriority == false && query.orderByChild == null && query.limitToFirst == null' },
    op: read('/x'),
    expect: 'allow',
  },
  { name: 'query: a query below a granted read', rules: { '.read': true }, op: read('/any', { orderBy: { child: 'x' }, limitToFirst: 1 }), expect: 'allow' },
];

/** The claims of the mock token that rules-unit-testing's authenticatedContext sends (UTIL createMockUserToken). */
export function mockTokenClaims(auth: CaseAuth, projectId: string): Record<string, unknown> {
  return {
    iss: `https://securetoken.google.com/${projectId}`,
    aud: projectId,
    iat: 0,
    exp: 3600,
    auth_time: 0,
    firebase: { sign_in_provider: 'custom', identities: {} },
    ...auth.claims,
    sub: auth.uid,
    user_id: auth.uid,
  };
}

/** An unsigned (`alg: none`) JWT, as the emulators accept. */
export function unsignedJwt(claims: Record<string, unknown>): string {
  const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ alg: 'none', typ: 'JWT' })}.${encode(claims)}.`;
}

/** The wire query object the SDK sends for a case query (docs/protocol.md §8). */
export function toWireQuery(query: CaseQuery): Record<string, unknown> {
  const wire: Record<string, unknown> = {};
  if (query.orderBy === 'key') wire['i'] = '.key';
  else if (query.orderBy === 'value') wire['i'] = '.value';
  else if (typeof query.orderBy === 'object') wire['i'] = query.orderBy.child;
  if (query.equalTo !== undefined) Object.assign(wire, { sp: query.equalTo, sin: true, ep: query.equalTo, ein: true });
  if (query.startAt !== undefined) Object.assign(wire, { sp: query.startAt, sin: true });
  if (query.endAt !== undefined) Object.assign(wire, { ep: query.endAt, ein: true });
  if (query.limitToFirst !== undefined) Object.assign(wire, { l: query.limitToFirst, vf: 'l' });
  if (query.limitToLast !== undefined) Object.assign(wire, { l: query.limitToLast, vf: 'r' });
  return wire;
}

/** The REST parameters for a case query (docs/protocol.md §12: values JSON-encoded). */
export function toRestParams(query: CaseQuery): URLSearchParams {
  const params = new URLSearchParams();
  const orderBy = query.orderBy === 'key' ? '$key' : query.orderBy === 'value' ? '$value' : query.orderBy === 'priority' ? '$priority' : query.orderBy.child;
  params.set('orderBy', JSON.stringify(orderBy));
  for (const key of ['startAt', 'endAt', 'equalTo'] as const) {
    if (query[key] !== undefined) params.set(key, JSON.stringify(query[key]));
  }
  if (query.limitToFirst !== undefined) params.set('limitToFirst', String(query.limitToFirst));
  if (query.limitToLast !== undefined) params.set('limitToLast', String(query.limitToLast));
  return params;
}

export function pathSegments(path: string): string[] {
  return path.split('/').filter((segment) => segment.length > 0);
}
