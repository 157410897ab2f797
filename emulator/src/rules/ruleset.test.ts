import { describe, expect, it } from 'vitest';
import type { NodeView, PathSegments } from '../contracts.js';
import { compileRules, jsonView, setAtPath } from './index.js';

/** A NodeView that counts how many nodes the engine visits. */
function countingView(inner: NodeView, counter: { children: number; keyLists: number }): NodeView {
  return {
    exists: () => inner.exists(),
    val: () => inner.val(),
    exportVal: () => inner.exportVal(),
    isLeaf: () => inner.isLeaf(),
    priority: () => inner.priority(),
    hasChildren: () => inner.hasChildren(),
    childKeys: () => {
      counter.keyLists++;
      return inner.childKeys();
    },
    child: (key) => {
      counter.children++;
      return countingView(inner.child(key), counter);
    },
  };
}

function write(rules: unknown, data: unknown, sets: ReadonlyArray<readonly [PathSegments, unknown]>, auth: Record<string, unknown> | null = null): boolean {
  let next = data;
  for (const [path, value] of sets) next = setAtPath(next, path, value);
  return compileRules(JSON.stringify({ rules })).canWrite({ paths: sets.map(([path]) => path), auth, root: jsonView(data), newRoot: jsonView(next), nowMs: 1 });
}

describe('write cost', () => {
  it('does not depend on the size of the database', () => {
    const devices: Record<string, unknown> = {};
    for (let i = 0; i < 5000; i++) devices[`d${i}`] = { meta: { owner: `u${i}` }, readings: { r0: { ir: i, seq: 0 } } };
    const rules = compileRules(
      JSON.stringify({
        rules: {
          devices: {
            $id: {
              '.read': true,
              readings: { $r: { '.write': "root.child('devices/' + $id + '/meta/owner').val() == auth.uid", '.validate': "newData.hasChildren(['ir', 'seq'])", ir: { '.validate': 'newData.isNumber()' }, $other: { '.validate': true } } },
            },
          },
        },
      }),
    );
    const counter = { children: 0, keyLists: 0 };
    const root = { devices };
    const path = ['devices', 'd42', 'readings', 'r1'];
    const allowed = rules.canWrite({
      paths: [path],
      auth: { uid: 'u42' },
      root: countingView(jsonView(root), counter),
      newRoot: countingView(jsonView(setAtPath(root, path, { ir: 5, seq: 1 })), counter),
      nowMs: 1,
    });
    expect(allowed).toBe(true);
    // Path walks, the root.child() lookup and the two written fields: a few dozen, not thousands.
    expect(counter.children).toBeLessThan(60);
    expect(counter.keyLists).toBeLessThanOrEqual(2);
  });
});

describe('read cost', () => {
  it('walks only the path, whatever the size of the data below and beside it', () => {
    const big: Record<string, unknown> = {};
    for (let i = 0; i < 5000; i++) big[`k${i}`] = { a: i, b: { c: i } };
    const ruleset = compileRules(JSON.stringify({ rules: { big: { $k: { '.read': "data.child('a').val() >= 0 && root.child('big').hasChildren()" } } } }));
    const counter = { children: 0, keyLists: 0 };
    expect(ruleset.canRead({ path: ['big', 'k42', 'b'], auth: null, root: countingView(jsonView({ big }), counter), nowMs: 0 })).toBe(true);
    expect(counter.children).toBeLessThan(10);
    expect(counter.keyLists).toBe(0);
  });
});

describe('validate walk', () => {
  it('binds nested wildcards inside the written subtree and restores them', () => {
    const rules = { a: { '.write': true, $p: { $q: { '.validate': "$p + $q == 'xy' || $p + $q == 'zw'" } } } };
    expect(write(rules, null, [[['a'], { x: { y: 1 }, z: { w: 2 } }]])).toBe(true);
    expect(write(rules, null, [[['a'], { x: { y: 1 }, z: { y: 2 } }]])).toBe(false);
  });

  it('validates an ancestor shared by several update paths against the combined state', () => {
    const rules = { p: { '.write': true, '.validate': "newData.child('a').val() + newData.child('b').val() == 3" } };
    expect(write(rules, null, [[['p', 'a'], 1], [['p', 'b'], 2]])).toBe(true);
    expect(write(rules, null, [[['p', 'a'], 1], [['p', 'b'], 5]])).toBe(false);
  });

  it('validates every node of a written value that has a rule', () => {
    const rules = { r: { '.write': true, $id: { n: { '.validate': 'newData.isNumber()' } } } };
    expect(write(rules, null, [[['r'], { a: { n: 1 }, b: { n: 2 } }]])).toBe(true);
    expect(write(rules, null, [[['r'], { a: { n: 1 }, b: { n: 'x' } }]])).toBe(false);
  });

  it('runs .write with data and newData at the rule location', () => {
    const rules = { c: { '.write': 'newData.val() == data.val() + 1' } };
    expect(write(rules, { c: 1 }, [[['c'], 2]])).toBe(true);
    expect(write(rules, { c: 1 }, [[['c'], 3]])).toBe(false);
    expect(write(rules, null, [[['c'], 1]])).toBe(false); // null + 1 is an error, not 1
  });
});

describe('snapshot values', () => {
  it('val() of an object equals nothing, not even null', () => {
    const ruleset = compileRules(JSON.stringify({ rules: { '.read': 'data.val() == null || data.val() == data.val()' } }));
    expect(ruleset.canRead({ path: ['o'], auth: null, root: jsonView({ o: { a: 1 } }), nowMs: 0 })).toBe(false);
    expect(ruleset.canRead({ path: ['o'], auth: null, root: jsonView(null), nowMs: 0 })).toBe(true);
  });

  it('reads with data-dependent rules see the current data at each level', () => {
    const ruleset = compileRules(JSON.stringify({ rules: { docs: { $d: { '.read': "data.child('public').val() == true" } } } }));
    const root = jsonView({ docs: { a: { public: true }, b: { public: false } } });
    expect(ruleset.canRead({ path: ['docs', 'a', 'body'], auth: null, root, nowMs: 0 })).toBe(true);
    expect(ruleset.canRead({ path: ['docs', 'b'], auth: null, root, nowMs: 0 })).toBe(false);
  });

  it('query bounds are visible to read rules at every level of the path', () => {
    const ruleset = compileRules(JSON.stringify({ rules: { '.read': 'query.limitToFirst == 1' } }));
    const base = { orderByKey: false, orderByPriority: true, orderByValue: false, orderByChild: null, startAt: null, endAt: null, equalTo: null, limitToLast: null };
    expect(ruleset.canRead({ path: ['a'], auth: null, root: jsonView(null), nowMs: 0, query: { ...base, limitToFirst: 1 } })).toBe(true);
    expect(ruleset.canRead({ path: ['a'], auth: null, root: jsonView(null), nowMs: 0, query: { ...base, limitToFirst: 2 } })).toBe(false);
    expect(ruleset.canRead({ path: ['a'], auth: null, root: jsonView(null), nowMs: 0 })).toBe(false);
  });
});

describe('readDependsOnTime', () => {
  it('is decided by the compiled .read expressions, not by the text', () => {
    expect(compileRules('{"rules":{"a":{".read":"data.child(\'t\').val() > now"}}}').readDependsOnTime).toBe(true);
    expect(compileRules('{"rules":{"$x":{"b":{".read":"now > 0"}}}}').readDependsOnTime).toBe(true);
    expect(compileRules('{"rules":{"a":{".read":"auth != null", ".validate":"newData.val() <= now"}}}').readDependsOnTime).toBe(false);
    // `now` only as text: a key named now, and a comment.
    expect(compileRules('{"rules":{".read":"data.child(\'now\').exists()"}}').readDependsOnTime).toBe(false);
    expect(compileRules('// now\n{"rules":{".read":"auth.uid != null"}}').readDependsOnTime).toBe(false);
  });
});
