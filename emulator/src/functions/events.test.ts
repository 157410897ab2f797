import { describe, expect, it } from 'vitest';
import type { CommittedWrite, Identity, NodeView } from '../contracts.js';
import { deltaOf, eventsForWrite, type CompiledTrigger } from './events.js';
import { parsePathPattern } from './path-pattern.js';
import type { DatabaseEventKind } from './types.js';

/** A NodeView over plain JSON, enough for the matcher (val, child, childKeys). */
function jsonView(value: unknown): NodeView {
  const isObj = typeof value === 'object' && value !== null;
  return {
    exists: () => value !== null && value !== undefined,
    val: () => (value === undefined ? null : value),
    exportVal: () => value ?? null,
    isLeaf: () => !isObj && value !== null && value !== undefined,
    priority: () => null,
    child: (key) => jsonView(isObj ? (value as Record<string, unknown>)[key] ?? null : null),
    childKeys: () => (isObj ? Object.keys(value as object).sort() : []),
    hasChildren: () => isObj,
  };
}

function trigger(name: string, kind: DatabaseEventKind, ref: string, instance = '*'): CompiledTrigger {
  return {
    info: { name, kind, ref, instance, region: 'us-central1', retry: false, timeoutSeconds: 60 },
    pattern: parsePathPattern(ref),
  };
}

function write(before: unknown, after: unknown, paths: string[][], extra: Partial<CommittedWrite> = {}): CommittedWrite {
  const identity: Identity = { kind: 'admin' };
  return {
    namespace: 'demo-default-rtdb',
    paths,
    before: jsonView(before),
    after: jsonView(after),
    identity,
    disableTriggers: false,
    timestampMs: Date.UTC(2026, 0, 1),
    ...extra,
  };
}

const all = [
  trigger('c', 'created', 'items/{id}'),
  trigger('u', 'updated', 'items/{id}'),
  trigger('d', 'deleted', 'items/{id}'),
  trigger('w', 'written', 'items/{id}'),
];

const names = (events: ReturnType<typeof eventsForWrite>) => events.map((e) => `${e.trigger.info.name}:${e.event.ref}`).sort();

describe('eventsForWrite', () => {
  it('selects event types by before/after presence', () => {
    expect(names(eventsForWrite(write({}, { items: { a: 1 } }, [['items', 'a']]), all))).toEqual(['c:items/a', 'w:items/a']);
    expect(names(eventsForWrite(write({ items: { a: 1 } }, { items: { a: 2 } }, [['items', 'a']]), all))).toEqual([
      'u:items/a',
      'w:items/a',
    ]);
    expect(names(eventsForWrite(write({ items: { a: 1 } }, {}, [['items', 'a']]), all))).toEqual(['d:items/a', 'w:items/a']);
  });

  it('finds matched descendants of a write at an ancestor, and skips unchanged ones', () => {
    const before = { items: { a: 1, b: 2 } };
    const after = { items: { b: 2, c: 3 } };
    expect(names(eventsForWrite(write(before, after, [['items']]), all))).toEqual([
      'c:items/c',
      'd:items/a',
      'w:items/a',
      'w:items/c',
    ]);
  });

  it('fires at the matched ancestor of a deep write', () => {
    const events = eventsForWrite(write({ items: { a: { x: 1 } } }, { items: { a: { x: 2 } } }, [['items', 'a', 'x']]), all);
    expect(names(events)).toEqual(['u:items/a', 'w:items/a']);
    const w = events.find((e) => e.trigger.info.name === 'w')!;
    expect(w.event.data).toMatchObject({ data: { x: 1 }, delta: { x: 2 } });
    expect(w.event).toMatchObject({
      type: 'google.firebase.database.ref.v1.written',
      subject: 'refs/items/a',
      instance: 'demo-default-rtdb',
      location: 'us-central1',
      authtype: 'admin',
      time: '2026-01-01T00:00:00.000Z',
    });
  });

  it('captures multi-segment wildcards at every depth that changed', () => {
    const t = [trigger('deep', 'written', 'tree/{rest=**}')];
    expect(names(eventsForWrite(write({}, { tree: { a: { b: 1 } } }, [['tree', 'a', 'b']]), t))).toEqual([
      'deep:tree/a',
      'deep:tree/a/b',
    ]);
  });

  it('honours instance filters, disableTriggers and the auth identity', () => {
    const scoped = [trigger('s', 'created', 'items/{id}', 'other-ns')];
    expect(eventsForWrite(write({}, { items: { a: 1 } }, [['items', 'a']]), scoped)).toEqual([]);
    const other = eventsForWrite(write({}, { items: { a: 1 } }, [['items', 'a']], { namespace: 'other-ns' }), scoped);
    expect(other).toHaveLength(1);
    expect(eventsForWrite(write({}, { items: { a: 1 } }, [['items', 'a']], { disableTriggers: true }), all)).toEqual([]);
    const user = eventsForWrite(
      write({}, { items: { a: 1 } }, [['items', 'a']], { identity: { kind: 'user', auth: { uid: 'u1' } } }),
      scoped.map(() => all[0]!),
    );
    expect(user[0]!.event).toMatchObject({ authtype: 'app_user', authid: 'u1' });
  });

  it('finds triggers through the first-key index: wildcard first segments and root writes', () => {
    const t = [trigger('top', 'written', '{top}/x'), trigger('items', 'written', 'items/{id}'), trigger('other', 'written', 'other/{id}')];
    expect(names(eventsForWrite(write({}, { foo: { x: 1 } }, [['foo', 'x']]), t))).toEqual(['top:foo/x']);
    expect(names(eventsForWrite(write({}, { items: { a: 1 }, other: { b: 2 } }, [[]]), t))).toEqual(['items:items/a', 'other:other/b']);
    expect(names(eventsForWrite(write({}, { items: { a: 1 }, other: { b: 2 } }, [['items', 'a'], ['other', 'b']]), t))).toEqual([
      'items:items/a',
      'other:other/b',
    ]);
  });

  it('treats a .priority write as a change of its parent, never as a child location', () => {
    const events = eventsForWrite(write({ items: { a: 1 } }, { items: { a: 2 } }, [['items', 'a', '.priority']]), all);
    expect(names(events)).toEqual(['u:items/a', 'w:items/a']);
    expect(eventsForWrite(write({ items: { a: 1 } }, { items: { a: 1 } }, [['items', '.priority']]), all)).toEqual([]);
  });

  it('keys events per trigger, namespace and location for in-order delivery', () => {
    const w = [all[3]!];
    const a = eventsForWrite(write({}, { items: { a: 1 } }, [['items', 'a']]), w)[0]!;
    const b = eventsForWrite(write({ items: { a: 1 } }, { items: { a: 2 } }, [['items', 'a']]), w)[0]!;
    const c = eventsForWrite(write({}, { items: { b: 1 } }, [['items', 'b']]), w)[0]!;
    expect(a.key).toBe(b.key);
    expect(a.key).not.toBe(c.key);
    expect(a.event.id).not.toBe(b.event.id);
  });
});

describe('deltaOf', () => {
  // firebase-functions common/utilities/utils.ts applyChange, restated to check the contract.
  function applyChange(src: unknown, dest: unknown): unknown {
    const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
    if (!isObj(dest) || !isObj(src)) return dest;
    const res: Record<string, unknown> = {};
    for (const key of new Set([...Object.keys(src), ...Object.keys(dest)])) {
      if (key in dest) {
        if (dest[key] !== null) res[key] = applyChange(src[key], dest[key]);
      } else if (src[key] !== null) res[key] = src[key];
    }
    return res;
  }

  it.each([
    [{ a: 1, b: { c: 2, d: 3 } }, { b: { c: 2 }, e: 4 }],
    [{ a: 1 }, 'leaf'],
    ['leaf', { a: 1 }],
    [{ a: { b: { c: 1 } } }, { a: { b: 5 } }],
    [null, { a: 1 }],
    [{ a: 1 }, null],
  ])('reproduces after from %j to %j', (before, after) => {
    expect(applyChange(before, deltaOf(before, after))).toEqual(after);
  });
});
