// Retention's count bounds (functions/src/retention-job.ts CountBounds) against the emulator: a
// device below maxCount costs a run only the readings stamped since the last one, and the readings
// deleted are always those the exact count picks.
import { describe, expect, it } from 'vitest';
import type { DataSnapshot, Query, Reference } from 'firebase-admin/database';
import { CountBounds, retainDevice, type RetentionOptions } from '../src/retention-job.js';
import { useFunctionsEmulator } from './support/clients.js';

// The database alone: the tests call the job's module themselves.
const fx = useFunctionsEmulator({ functions: false });

/** Root whose queries under `devices/` count the readings each `get()` downloads. */
function countingRoot(root: Reference, downloaded: number[]): Reference {
  const wrapQuery = (query: Query): Query =>
    new Proxy(query, {
      get(inner, name) {
        const value: unknown = Reflect.get(inner, name, inner);
        if (typeof value !== 'function') return value;
        if (name === 'get') {
          return async () => {
            const snap = (await (value as () => Promise<DataSnapshot>).call(inner)) as DataSnapshot;
            downloaded.push(snap.numChildren());
            return snap;
          };
        }
        return (...args: unknown[]) => {
          const result = (value as (...a: unknown[]) => unknown).apply(inner, args);
          return result !== null && typeof result === 'object' && 'orderByChild' in (result as object) ? wrapQuery(result as Query) : result;
        };
      },
    });
  return new Proxy(root, {
    get(target, name) {
      const value: unknown = Reflect.get(target, name, target);
      if (name !== 'child' || typeof value !== 'function') return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      return (path: string) => wrapQuery(target.child(path));
    },
  });
}

const NOW = Date.now();
const stamped = (from: number, count: number, tsBase: number) =>
  Object.fromEntries(Array.from({ length: count }, (_, i) => [`r${String(from + i).padStart(4, '0')}`, { ir: 1, seq: from + i, ts: tsBase + from + i }]));

function options(bounds: CountBounds, nowMs = NOW, maxCount = 20): RetentionOptions {
  return { nowMs, maxAgeMs: 86_400_000, maxCount, batchSize: 500, maxBatches: 20, bounds };
}

async function keys(deviceId: string): Promise<string[]> {
  return Object.keys(((await fx.val(`devices/${deviceId}/readings`)) as object | null) ?? {}).sort();
}

describe('retention count bounds', () => {
  it('counts exactly once, then downloads only what is new while the device stays below maxCount', async () => {
    const bounds = new CountBounds();
    await fx.c.admin.ref('devices/bnd-1/readings').set(stamped(1, 10, NOW - 600_000));
    const downloaded: number[] = [];
    const root = countingRoot(fx.c.admin.ref(), downloaded);
    await retainDevice(root, 'bnd-1', options(bounds));
    // The age query (nothing old), then the exact count: all 10.
    expect(downloaded).toEqual([0, 10]);

    await fx.c.admin.ref('devices/bnd-1/readings').update(stamped(11, 3, NOW - 600_000));
    downloaded.length = 0;
    const result = await retainDevice(root, 'bnd-1', options(bounds));
    // The 3 new ones and the newest already counted (at the same ts: counted twice, never missed).
    expect(downloaded).toEqual([0, 4]);
    expect(result).toEqual({ byAge: 0, byCount: 0, more: false });
    expect(await keys('bnd-1')).toHaveLength(13);
  });

  it('counts exactly when the bound passes maxCount, and deletes what the exact count picks', async () => {
    const bounds = new CountBounds();
    await fx.c.admin.ref('devices/bnd-2/readings').set(stamped(1, 15, NOW - 600_000));
    const downloaded: number[] = [];
    const root = countingRoot(fx.c.admin.ref(), downloaded);
    await retainDevice(root, 'bnd-2', options(bounds));
    await fx.c.admin.ref('devices/bnd-2/readings').update(stamped(16, 10, NOW - 600_000));
    downloaded.length = 0;
    const result = await retainDevice(root, 'bnd-2', options(bounds));
    // The bound (15 + 11) passed 20: the exact count (21 = maxCount + 1), then the 5 deleted.
    expect(downloaded).toEqual([0, 11, 21, 5]);
    expect(result.byCount).toBe(5);
    expect(await keys('bnd-2')).toEqual(Object.keys(stamped(6, 20, 0)).sort());
  });

  it('never deletes on a bound: readings deleted meanwhile only lower the true count', async () => {
    const bounds = new CountBounds();
    await fx.c.admin.ref('devices/bnd-3/readings').set(stamped(1, 18, NOW - 600_000));
    await retainDevice(fx.c.admin.ref(), 'bnd-3', options(bounds));
    // The owner deletes 10; 5 more arrive: 13 held, the bound says 24 and so counts exactly.
    await fx.c.admin.ref('devices/bnd-3/readings').update(Object.fromEntries(Object.keys(stamped(1, 10, 0)).map((k) => [k, null])));
    await fx.c.admin.ref('devices/bnd-3/readings').update(stamped(19, 5, NOW - 600_000));
    const result = await retainDevice(fx.c.admin.ref(), 'bnd-3', options(bounds));
    expect(result.byCount).toBe(0);
    expect(await keys('bnd-3')).toHaveLength(13);
  });

  it('counts exactly again once the bound is older than exactEveryMs (an import with old ts is caught then)', async () => {
    const bounds = new CountBounds(100, 60_000);
    await fx.c.admin.ref('devices/bnd-4/readings').set(stamped(100, 10, NOW - 600_000));
    await retainDevice(fx.c.admin.ref(), 'bnd-4', options(bounds));
    // An admin import with older ts than anything counted: a bound cannot see it.
    await fx.c.admin.ref('devices/bnd-4/readings').update(stamped(1, 15, NOW - 700_000));
    expect((await retainDevice(fx.c.admin.ref(), 'bnd-4', options(bounds, NOW + 1_000))).byCount).toBe(0);
    const later = await retainDevice(fx.c.admin.ref(), 'bnd-4', options(bounds, NOW + 60_000));
    expect(later.byCount).toBe(5);
    expect(await keys('bnd-4')).toHaveLength(20);
  });
});
