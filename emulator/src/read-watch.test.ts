import { describe, expect, it } from 'vitest';
import type { Identity, ReadCheck, Ruleset } from './contracts.js';
import { Namespace } from './namespace.js';
import { SYNC_RECHECK_MAX } from './read-watch.js';
import { compileRules } from './rules/index.js';

const ADMIN: Identity = { kind: 'admin' };
const user = (uid: string): Identity => ({ kind: 'user', auth: { uid, provider: 'custom', token: { sub: uid } } });

/** A namespace with these rules, counting every read evaluation. */
function setup(rules: object): { ns: Namespace; checks: ReadCheck[]; set(path: string, value: unknown): void } {
  const ns = new Namespace('watch-test', () => {});
  const source = JSON.stringify({ rules });
  const compiled = compileRules(source);
  const checks: ReadCheck[] = [];
  const counting: Ruleset = {
    source,
    canRead: (check) => {
      checks.push(check);
      return compiled.canRead(check);
    },
    canWrite: (check) => compiled.canWrite(check),
    readDependsOnTime: compiled.readDependsOnTime,
    indexOn: (path) => compiled.indexOn(path),
  };
  ns.setRules(source, counting);
  const set = (path: string, value: unknown): void => {
    ns.write(ADMIN, ns.db.prepareSet(path === '' ? [] : path.split('/'), value, { nowMs: Date.now() }));
  };
  return { ns, checks, set };
}

const OWNED = { devices: { $id: { '.read': "root.child('owners').child($id).child(auth.uid).val() == true" } } };

describe('ReadWatch: re-checks only reads whose data changed', () => {
  it('skips unrelated writes and still revokes when the data the rule reads changes', () => {
    const { ns, checks, set } = setup(OWNED);
    set('owners/d1/alice', true);
    let revoked = 0;
    const grant = ns.watchRead(user('alice'), ['devices', 'd1', 'state'], undefined, () => revoked++);
    expect(grant).not.toBeNull();
    expect(grant!.reads).toEqual([['owners', 'd1', 'alice']]);
    const checksAfterOpen = checks.length;
    for (let i = 0; i < 200; i++) {
      set(`devices/d1/readings/r${i}`, { ir: i }); // the listened location itself: pushes, but no re-check
      set(`owners/d2/alice`, i % 2 === 0); // a sibling of the data the rule reads
    }
    expect(checks.length).toBe(checksAfterOpen);
    expect(revoked).toBe(0);
    set('owners/d1/alice', false);
    expect(revoked).toBe(1); // synchronously, inside the revoking write
    expect(grant!.released).toBe(true);
    set('owners/d1/alice', true);
    set('owners/d1/alice', false);
    expect(revoked).toBe(1); // a released grant is never re-checked
  });

  it('re-checks on writes above and below the data the rule reads', () => {
    const { ns, set } = setup(OWNED);
    set('owners/d1/alice', true);
    let revoked = 0;
    ns.watchRead(user('alice'), ['devices', 'd1'], undefined, () => revoked++);
    set('owners', { d1: { alice: true, bob: true } }); // ancestor write, still allowed
    expect(revoked).toBe(0);
    set('owners/d1/alice/x', 1); // descendant write turns the leaf into an object: val() != true
    expect(revoked).toBe(1);
  });

  it('follows the locations the latest check looked at (short-circuit changes them)', () => {
    const { ns, set } = setup({ doc: { '.read': "root.child('a').val() == true || root.child('b').val() == true" } });
    set('a', true);
    set('b', true);
    let revoked = 0;
    const grant = ns.watchRead(user('u'), ['doc'], undefined, () => revoked++)!;
    expect(grant.reads).toEqual([['a']]);
    set('a', false); // now allowed through b, which the check starts watching
    expect(revoked).toBe(0);
    expect(grant.reads).toEqual([['a'], ['b']]);
    set('b', false);
    expect(revoked).toBe(1);
  });

  it('never re-checks reads that depend on auth alone, and admin reads', () => {
    const { ns, checks, set } = setup({ devices: { $id: { '.read': 'auth.uid == $id' } } });
    expect(ns.watchRead(user('d1'), ['devices', 'd1'], undefined, () => {})!.reads).toEqual([]);
    expect(ns.watchRead(ADMIN, ['devices'], undefined, () => {})).not.toBeNull();
    expect(ns.watchRead(user('d1'), ['devices', 'd2'], undefined, () => {})).toBeNull();
    const before = checks.length;
    set('devices/d1/x', 1);
    set('', { devices: { d1: { y: 2 } } });
    expect(checks.length).toBe(before);
  });

  it('re-checks every grant on new rules', () => {
    const { ns, set } = setup(OWNED);
    set('owners/d1/alice', true);
    let revoked = 0;
    ns.watchRead(user('alice'), ['devices', 'd1'], undefined, () => revoked++);
    const source = '{"rules":{".read":false}}';
    ns.setRules(source, compileRules(source));
    expect(revoked).toBe(1);
  });

  it('re-checks read rules that use `now` after every commit', () => {
    const { ns, checks, set } = setup({ doc: { '.read': 'now > 0' } });
    ns.watchRead(user('u'), ['doc'], undefined, () => {});
    const before = checks.length;
    set('elsewhere', 1);
    expect(checks.length).toBe(before + 1);
  });

  it(`batches re-checks per event-loop turn beyond ${SYNC_RECHECK_MAX} affected listens, and still revokes`, async () => {
    const { ns, set } = setup({ doc: { '.read': "root.child('open').val() == true" } });
    set('open', true);
    let revoked = 0;
    const count = SYNC_RECHECK_MAX + 6;
    for (let i = 0; i < count; i++) ns.watchRead(user(`u${i}`), ['doc'], undefined, () => revoked++);
    set('open', false);
    expect(revoked).toBe(0);
    await new Promise((resolve) => setImmediate(resolve));
    expect(revoked).toBe(count);
  });
});
