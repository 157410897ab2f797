// Conformance: queries through the real client SDK (docs/protocol.md §8, §15), including limit windows
// that slide as children are written, and the mixed-type ordering edges.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  endAt,
  endBefore,
  equalTo,
  get,
  limitToFirst,
  limitToLast,
  onChildAdded,
  onChildRemoved,
  onValue,
  orderByChild,
  orderByKey,
  orderByPriority,
  orderByValue,
  query,
  ref,
  remove,
  set,
  setWithPriority,
  startAfter,
  startAt,
  type Query,
  type QueryConstraint,
} from 'firebase/database';
import { adminApp } from './admin.js';
import { clientApp, type ClientHandle } from './clients.js';
import { freshNamespace, startTarget, waitFor, type Target } from './harness.js';

let target: Target;
let c: ClientHandle;
let reader: ClientHandle;
beforeAll(async () => {
  target = await startTarget();
  const ns = freshNamespace();
  c = clientApp(target, ns);
  reader = clientApp(target, ns);
  await set(ref(c.db, 'people'), {
    alice: { age: 30, name: 'Alice', tag: 'b' },
    bob: { age: 25, name: 'Bob', tag: 'a' },
    carol: { age: 35, name: 'Carol', tag: 'c' },
    dave: { age: 25, name: 'Dave' },
    eve: { name: 'Eve', tag: 5 },
  });
  await set(ref(c.db, 'mixed'), { n: 3, s: 'str', t: true, f: false, o: { x: 1 }, m: -2, z: 'a' });
  await set(ref(c.db, 'numkeys'), { '10': 'ten', '9': 'nine', '100': 'hundred', a: 'a', '007': 'seven', '7': 'sev' });
});
afterAll(async () => {
  await c.close();
  await reader.close();
  await target.stop();
});

/** Keys in the order a value snapshot iterates them (the query's order). */
async function keysOf(q: Query): Promise<string[]> {
  const keys: string[] = [];
  (await get(q)).forEach((child) => {
    keys.push(child.key!);
  });
  return keys;
}

/** Same query through a listener, so the tagged-listen path on the server is exercised. */
function keysViaListener(q: Query): Promise<string[]> {
  return new Promise((resolve) => {
    const unsub = onValue(q, (snap) => {
      const keys: string[] = [];
      snap.forEach((child) => {
        keys.push(child.key!);
      });
      unsub();
      resolve(keys);
    });
  });
}

const cases: [string, string, QueryConstraint[], string[]][] = [
  ['orderByChild', 'people', [orderByChild('age')], ['eve', 'bob', 'dave', 'alice', 'carol']],
  ['orderByChild startAt', 'people', [orderByChild('age'), startAt(30)], ['alice', 'carol']],
  ['orderByChild startAt with key', 'people', [orderByChild('age'), startAt(25, 'dave')], ['dave', 'alice', 'carol']],
  ['orderByChild startAfter', 'people', [orderByChild('age'), startAfter(25)], ['alice', 'carol']],
  ['orderByChild startAfter with key', 'people', [orderByChild('age'), startAfter(25, 'bob')], ['dave', 'alice', 'carol']],
  ['orderByChild endAt', 'people', [orderByChild('age'), endAt(25)], ['eve', 'bob', 'dave']],
  ['orderByChild endBefore', 'people', [orderByChild('age'), endBefore(30)], ['eve', 'bob', 'dave']],
  ['orderByChild endBefore with key', 'people', [orderByChild('age'), endBefore(25, 'dave')], ['eve', 'bob']],
  ['orderByChild equalTo', 'people', [orderByChild('age'), equalTo(25)], ['bob', 'dave']],
  ['orderByChild equalTo with key', 'people', [orderByChild('age'), equalTo(25, 'dave')], ['dave']],
  ['orderByChild equalTo null', 'people', [orderByChild('age'), equalTo(null)], ['eve']],
  ['orderByChild mixed types', 'people', [orderByChild('tag')], ['dave', 'eve', 'bob', 'alice', 'carol']],
  ['orderByChild limitToFirst', 'people', [orderByChild('age'), limitToFirst(2)], ['eve', 'bob']],
  ['orderByChild limitToLast', 'people', [orderByChild('age'), limitToLast(2)], ['alice', 'carol']],
  ['orderByChild range + limit', 'people', [orderByChild('age'), startAt(25), limitToFirst(2)], ['bob', 'dave']],
  ['orderByKey', 'people', [orderByKey(), startAt('bob'), endAt('dave')], ['bob', 'carol', 'dave']],
  ['orderByKey startAfter', 'people', [orderByKey(), startAfter('carol')], ['dave', 'eve']],
  ['orderByKey endBefore', 'people', [orderByKey(), endBefore('bob')], ['alice']],
  ['orderByKey integer-like keys', 'numkeys', [orderByKey()], ['7', '007', '9', '10', '100', 'a']],
  ['orderByKey integer range', 'numkeys', [orderByKey(), startAt('9'), endAt('100')], ['9', '10', '100']],
  ['orderByValue', 'mixed', [orderByValue()], ['f', 't', 'm', 'n', 'z', 's', 'o']],
  ['orderByValue startAt number', 'mixed', [orderByValue(), startAt(0)], ['n', 'z', 's', 'o']],
  ['orderByValue endAt true', 'mixed', [orderByValue(), startAt(null), endAt(true)], ['f', 't']],
  ['orderByValue strings', 'mixed', [orderByValue(), startAt('a'), endAt('zzz')], ['z', 's']],
  ['orderByValue limitToLast', 'mixed', [orderByValue(), limitToLast(2)], ['s', 'o']],
];

describe('query operators through the client SDK', () => {
  it.each(cases)('%s', async (_name, path, constraints, expected) => {
    expect(await keysOf(query(ref(c.db, path), ...constraints))).toEqual(expected);
    expect(await keysViaListener(query(ref(reader.db, path), ...constraints))).toEqual(expected);
  });

  it('orderByPriority with mixed priorities', async () => {
    await set(ref(c.db, 'prio'), null);
    await setWithPriority(ref(c.db, 'prio/a'), 1, 'zz');
    await setWithPriority(ref(c.db, 'prio/b'), 1, 5);
    await setWithPriority(ref(c.db, 'prio/c'), 1, null);
    await setWithPriority(ref(c.db, 'prio/d'), 1, 2);
    expect(await keysOf(query(ref(c.db, 'prio'), orderByPriority()))).toEqual(['c', 'd', 'b', 'a']);
    expect(await keysViaListener(query(ref(reader.db, 'prio'), orderByPriority(), startAt(3)))).toEqual(['b', 'a']);
  });
});

describe('limit windows under writes', () => {
  it('limitToLast(3) slides as children are pushed, with added/removed events', async () => {
    const ns = freshNamespace();
    const w = clientApp(target, ns);
    const r = clientApp(target, ns);
    const events: string[] = [];
    try {
      await set(ref(w.db, 'feed'), { a: { ts: 1 }, b: { ts: 2 }, c: { ts: 3 }, d: { ts: 4 } });
      const q = query(ref(r.db, 'feed'), orderByChild('ts'), limitToLast(3));
      const unsubAdd = onChildAdded(q, (s) => events.push(`+${s.key}`));
      const unsubRem = onChildRemoved(q, (s) => events.push(`-${s.key}`));
      await waitFor(() => events.length >= 3, 5000, 'initial window');
      expect(events).toEqual(['+b', '+c', '+d']);
      await set(ref(w.db, 'feed/e'), { ts: 5 });
      await waitFor(() => events.length >= 5, 5000, 'slide on insert');
      expect(events.slice(3).sort()).toEqual(['+e', '-b']);
      await remove(ref(w.db, 'feed/e'));
      await waitFor(() => events.length >= 7, 5000, 'slide back on delete');
      expect(events.slice(5).sort()).toEqual(['+b', '-e']);
      // A child moving into the window by a value change.
      await set(ref(w.db, 'feed/a/ts'), 10);
      await waitFor(() => events.length >= 9, 5000, 'enter by update');
      expect(events.slice(7).sort()).toEqual(['+a', '-b']);
      unsubAdd();
      unsubRem();
    } finally {
      await w.close();
      await r.close();
    }
  });

  it('admin limitToFirst listener sees a child enter when one leaves', async () => {
    const ns = freshNamespace();
    const admin = adminApp(target, ns);
    const w = clientApp(target, ns);
    try {
      await set(ref(w.db, 'q'), { a: 1, b: 2, c: 3 });
      let latest: unknown = undefined;
      const q = admin.db.ref('q').orderByValue().limitToFirst(2);
      q.on('value', (s) => {
        latest = s.val();
      });
      await waitFor(() => JSON.stringify(latest) === JSON.stringify({ a: 1, b: 2 }), 5000, 'initial');
      await remove(ref(w.db, 'q/a'));
      await waitFor(() => JSON.stringify(latest) === JSON.stringify({ b: 2, c: 3 }), 5000, 'c enters');
      q.off();
    } finally {
      await admin.close();
      await w.close();
    }
  });
});
