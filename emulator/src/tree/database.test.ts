import { describe, expect, it } from 'vitest';
import { RtdbError } from '../errors.js';
import { Database } from './database.js';
import { Branch } from './node.js';

const ctx = { nowMs: 1000 };

function setAt(db: Database, path: string[], json: unknown): void {
  db.commit(db.prepareSet(path, json, ctx));
}

describe('Database writes', () => {
  it('sets, merges and prunes empty parents', () => {
    const db = new Database();
    setAt(db, ['a', 'b'], { c: 1, d: { e: 2 } });
    expect(db.view().val()).toEqual({ a: { b: { c: 1, d: { e: 2 } } } });
    db.commit(db.prepareUpdate(['a', 'b'], { c: null, 'd/e': null }, ctx));
    expect(db.view().exists()).toBe(false);
  });

  it('writing below a leaf replaces it; writing null below a leaf is a no-op', () => {
    const db = new Database();
    setAt(db, ['x'], 5);
    setAt(db, ['x', 'y', 'z'], null);
    expect(db.view().val()).toEqual({ x: 5 });
    const commit = db.commit(db.prepareSet(['x', 'y'], 1, ctx));
    expect(commit.after.val()).toEqual({ x: { y: 1 } });
    expect(commit.before.val()).toEqual({ x: 5 });
  });

  it('before/after views of a commit', () => {
    const db = new Database();
    setAt(db, [], { a: { b: 1 }, keep: true });
    const commit = db.commit(db.prepareUpdate([], { 'a/b': null, 'n/m': 2 }, ctx));
    expect(commit.before.val()).toEqual({ a: { b: 1 }, keep: true });
    expect(commit.after.val()).toEqual({ keep: true, n: { m: 2 } });
    expect(commit.before.child('a').child('b').val()).toBe(1);
    expect(commit.before.child('n').exists()).toBe(false);
  });

  it('pending views overlay a write without committing it', () => {
    const db = new Database();
    setAt(db, ['r'], { a: 1, b: 2 });
    const pending = db.prepareUpdate(['r'], { a: null, c: 3 }, ctx);
    const view = db.pendingView(pending);
    expect(view.child('r').val()).toEqual({ b: 2, c: 3 });
    expect(view.child('r').child('a').exists()).toBe(false);
    expect(view.child('r').childKeys()).toEqual(['b', 'c']);
    expect(db.view().child('r').val()).toEqual({ a: 1, b: 2 });
    const gone = db.pendingView(db.prepareSet(['r'], null, ctx));
    expect(gone.exists()).toBe(false);
    expect(gone.child('r').hasChildren()).toBe(false);
  });

  it('priorities: .priority writes, export format, empty nodes carry none', () => {
    const db = new Database();
    setAt(db, ['p'], { '.value': 'v', '.priority': 3 });
    expect(db.view().child('p').priority()).toBe(3);
    setAt(db, ['p', '.priority'], 'high');
    expect(db.view().exportVal()).toEqual({ p: { '.value': 'v', '.priority': 'high' } });
    setAt(db, ['q', '.priority'], 1);
    expect(db.view().child('q').exists()).toBe(false);
  });

  it('server values: one timestamp per write, increment on the current value', () => {
    const db = new Database();
    setAt(db, ['n'], 10);
    db.commit(db.prepareUpdate([], { n: { '.sv': { increment: 5 } }, t: { '.sv': 'timestamp' }, u: { '.sv': 'timestamp' } }, ctx));
    expect(db.view().val()).toEqual({ n: 15, t: 1000, u: 1000 });
    setAt(db, ['s'], 'text');
    setAt(db, ['s'], { '.sv': { increment: 2 } });
    expect(db.view().child('s').val()).toBe(2);
  });

  it('rejects bad input with clear errors and changes nothing', () => {
    const db = new Database();
    setAt(db, ['keep'], 1);
    const bad: [string[], unknown, RegExp][] = [
      [['x'], { 'a.b': 1 }, /key "a.b"/],
      [['x'], { '.sv': 'later' }, /unrecognized server value/],
      [['x'], { '.value': 1, '.priority': true }, /priority/],
      [['a.b'], 1, /Invalid path/],
      [['x'], { '.sv': { increment: 'x' } }, /increment/],
    ];
    for (const [path, json, message] of bad) {
      expect(() => db.prepareSet(path, json, ctx)).toThrow(message);
    }
    expect(() => db.prepareUpdate([], { a: 1, 'a/b': 2 }, ctx)).toThrow(/"a" and "a\/b" overlap/);
    expect(() => db.prepareUpdate([], { 'a/b/c': 1, 'a/b': 2 }, ctx)).toThrow(/"a\/b" is an ancestor/);
    expect(() => db.prepareUpdate([], { 'a//b': 1, 'a/b': 2 }, ctx)).toThrow(/appears twice/);
    expect(db.prepareUpdate([], { 'a/b': 1, 'a/c': 2, ab: 3 }, ctx).ops).toHaveLength(3);
    expect(() => db.prepareUpdate([], 5, ctx)).toThrow(RtdbError);
    let deep: unknown = 1;
    for (let i = 0; i < 40; i++) deep = { d: deep };
    expect(() => db.prepareSet([], deep, ctx)).toThrow(/deeper than 32/);
    expect(db.view().val()).toEqual({ keep: 1 });
  });

  it('arrays arrive as integer-keyed objects and come back as arrays', () => {
    const db = new Database();
    setAt(db, ['arr'], [1, null, 3]);
    expect(db.view().child('arr').childKeys()).toEqual(['0', '2']);
    expect(db.view().child('arr').val()).toEqual([1, null, 3]);
    setAt(db, ['sparse'], { '0': 'a', '9': 'b' });
    expect(db.view().child('sparse').val()).toEqual({ '0': 'a', '9': 'b' });
  });

  it('keeps child keys in key order across appends and deletes', () => {
    const db = new Database();
    for (const k of ['b', '10', 'a', '2', 'c']) setAt(db, ['o', k], 1);
    expect(db.view().child('o').childKeys()).toEqual(['2', '10', 'a', 'b', 'c']);
    setAt(db, ['o', 'a'], null);
    setAt(db, ['o', 'd'], 1);
    expect(db.view().child('o').childKeys()).toEqual(['2', '10', 'b', 'c', 'd']);
  });
});

describe('shared shapes of small objects', () => {
  it('objects with the same keys stay independent when one is changed', () => {
    const db = new Database();
    setAt(db, ['r'], { a: { ir: 1, ts: 2 }, b: { ir: 3, ts: 4 } });
    setAt(db, ['r', 'a', 'ir'], 9);
    setAt(db, ['r', 'b', 'extra'], 'x');
    setAt(db, ['r', 'b', 'ts'], null);
    expect(db.view().child('r').val()).toEqual({ a: { ir: 9, ts: 2 }, b: { extra: 'x', ir: 3 } });
    expect(db.view().child('r').child('b').childKeys()).toEqual(['extra', 'ir']);
  });

  it('a stamped reading keeps the compact form, with its keys in order and other readings untouched', () => {
    const db = new Database();
    setAt(db, ['readings'], { r1: { seq: 1, ir: 10 }, r2: { seq: 2, ir: 20 } });
    setAt(db, ['readings', 'r1', 'ts'], 1_700_000_000_000);
    setAt(db, ['readings', 'r1', 'ir'], 11);
    setAt(db, ['readings', 'r1', 'at'], 'x');
    const r1 = db.read(['readings', 'r1']);
    expect(r1 instanceof Branch && r1.compact).toBe(true);
    expect(db.view().child('readings').child('r1').childKeys()).toEqual(['at', 'ir', 'seq', 'ts']);
    expect(db.view().child('readings').val()).toEqual({ r1: { at: 'x', ir: 11, seq: 1, ts: 1_700_000_000_000 }, r2: { ir: 20, seq: 2 } });
    // Past the largest shape it becomes a Map, with the same contents.
    for (let i = 0; i < 12; i++) setAt(db, ['readings', 'r2', `k${i}`], i);
    const r2 = db.read(['readings', 'r2']);
    expect(r2 instanceof Branch && r2.compact).toBe(false);
    expect(db.view().child('readings').child('r2').child('k11').val()).toBe(11);
    expect(db.view().child('readings').child('r2').childKeys()).toHaveLength(14);
  });

  it('a re-prioritised copy shares storage without leaking later changes into the old view', () => {
    const db = new Database();
    setAt(db, ['n'], { z: 1, a: 2 });
    const commit = db.commit(db.prepareSet(['n', '.priority'], 7, ctx));
    expect(commit.before.child('n').priority()).toBeNull();
    expect(commit.after.child('n').exportVal()).toEqual({ a: 2, z: 1, '.priority': 7 });
    setAt(db, ['n', 'a'], 3);
    expect(db.view().child('n').exportVal()).toEqual({ a: 3, z: 1, '.priority': 7 });
  });
});

describe('huge writes', () => {
  it('an array with more children than a location can hold is a 400 naming the location, not a crash', () => {
    const db = new Database();
    const huge = new Array<number>(2 ** 24 + 1).fill(0);
    let error: unknown = null;
    try {
      db.prepareSet(['big'], huge, ctx);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RtdbError);
    expect((error as RtdbError).httpStatus).toBe(400);
    expect((error as RtdbError).message).toMatch(/Invalid data at \/big: 16777217 children at one location/);
  });
});

describe('full locations', () => {
  it('a write adding a child to a location at the limit is refused before anything changes', () => {
    const db = new Database(3);
    db.commit(db.prepareSet(['full'], { a: 1, b: 2, c: 3 }, ctx));
    const update = db.prepareUpdate([], { 'other/x': 1, 'full/d': 4 }, ctx);
    expect(() => db.commit(update)).toThrow(/\/full already holds 3 children/);
    expect(db.view().val()).toEqual({ full: { a: 1, b: 2, c: 3 } });
    // Replacing an existing child is fine.
    db.commit(db.prepareSet(['full', 'a'], 10, ctx));
    expect(db.view().child('full').child('a').val()).toBe(10);
  });
});
