// The fleet's data layer against the local RTDB emulator, no browser: rows come from the owner's
// fleet summary `fleets/{uid}` (model/src/fleet-summary.ts), one listener per instance, and
// devices are followed on the instance their directory entry names (the shards contract of issue
// 17), also after a move. The summaries are seeded as the functions would keep them (no functions
// here). The SDK in Node with mock owner tokens; the emulator serves each instance as a namespace
// with the same rules.
import '@firelink/stack/env';
import { initializeApp, deleteApp, type FirebaseApp } from 'firebase/app';
import { connectDatabaseEmulator, get, getDatabase, ref, type Database } from 'firebase/database';
import { getDatabase as adminDatabase, getDatabaseWithUrl } from 'firebase-admin/database';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startStack, type Stack } from '@firelink/stack';
import { summaryOfDevice } from '@firelink/model';
import { watchFleet } from '../src/data/fleet-source.js';
import type { Databases } from '../src/data/firebase.js';
import { FleetStore } from '../src/store/fleet-store.js';

const OWNER = 'shard-owner';
const SHARD = 'demo-firelink-shard-2';

describe('fleet data layer on the emulator', () => {
  let stack: Stack;
  let app: FirebaseApp;
  let dbs: Databases;
  const admin = (instance?: string) => (instance ? getDatabaseWithUrl(`https://${instance}.firebaseio.com`, stack.adminApp()) : adminDatabase(stack.adminApp()));

  beforeAll(async () => {
    stack = await startStack({ ports: 'free', processes: 'in-process', auth: false, functions: false });
    app = initializeApp({ projectId: stack.projectId, apiKey: 'demo-key', databaseURL: `https://${stack.namespace}.firebaseio.com` }, 'fleet-shards');
    const [host, port] = stack.hosts.database.split(':') as [string, string];
    const open = new Map<string, Database>();
    const instance = (name: string | null): Database => {
      const ns = name ?? stack.namespace;
      if (!open.has(ns)) {
        const db = getDatabase(app, `https://${ns}.firebaseio.com`);
        connectDatabaseEmulator(db, host, Number(port), { mockUserToken: { sub: OWNER, user_id: OWNER } });
        open.set(ns, db);
      }
      return open.get(ns)!;
    };
    dbs = { directory: instance(null), instance };
    const now = Date.now();
    const device = (name: string) => ({
      meta: { name, owner: OWNER, createdAt: now },
      status: { online: true, lastSeen: now, fw: 'sim-1' },
      state: { angle: 90, ir: 2048, readingId: 'r1', seq: 1, lcd: { line1: 'IR 2048', line2: 'Servo  90 deg' }, ts: now },
      config: { mapping: { inMin: 0, inMax: 4095, outMin: 0, outMax: 180, invert: false }, sampleMs: 1000, heartbeatMs: 30000 },
      // A reading and a command whose ids are the query's index child: objects, past its end.
      readings: { createdAt: { ir: 1, seq: 1 }, r2: { ir: 2, seq: 2 } },
      commands: { createdAt: { type: 'reboot', createdAt: now } },
    });
    const summary = (id: string, node: unknown) => ({ [`fleets/${OWNER}/${id}`]: summaryOfDevice(node)!.entry });
    await admin().ref().update({
      [`users/${OWNER}/devices/home-1`]: true,
      [`users/${OWNER}/devices/away-1`]: true,
      [`users/${OWNER}/devices/split-1`]: true,
      'devices/home-1': device('Home'),
      ...summary('home-1', device('Home')),
      'deviceShards/away-1': SHARD,
      // A move cut short: the old copy is still on the default instance, the directory names the shard.
      'devices/split-1': device('Left on default'),
      ...summary('split-1', device('Left on default')),
      'deviceShards/split-1': SHARD,
    });
    await admin(SHARD).ref().update({
      'devices/away-1': device('Away'),
      ...summary('away-1', device('Away')),
      'devices/split-1': device('Split on shard'),
      ...summary('split-1', device('Split on shard')),
    });
  });

  afterAll(async () => {
    await deleteApp(app);
    await stack?.stop();
  });

  it('the owner reads their summary on the default instance', async () => {
    expect(Object.keys((await get(ref(dbs.directory, `fleets/${OWNER}`))).val() as object).sort()).toEqual(['home-1', 'split-1']);
  });

  it('shows each device from the instance its directory entry names, and follows a move', async () => {
    const store = new FleetStore((fn) => setTimeout(fn, 0));
    const stop = watchFleet(dbs, OWNER, store);
    try {
      await eventually('every device loaded', () => store.loadedCount() === 3, 20_000);
      expect(store.get('home-1')).toMatchObject({ name: 'Home', online: true, angle: 90 });
      expect(store.get('away-1')).toMatchObject({ name: 'Away', online: true, angle: 90 });
      // Its directory entry, read after the first render, moves the provisional row to the shard.
      await eventually('the directory wins over a copy left on the default instance', () => store.get('split-1')?.name === 'Split on shard', 20_000);

      // The same device id on the default instance holds other data: the shard's must win.
      await admin().ref(`fleets/${OWNER}/away-1/meta`).set({ name: 'Stale copy' });
      await admin(SHARD).ref(`fleets/${OWNER}/away-1/state/angle`).set(45);
      await eventually('the shard update arrives', () => store.get('away-1')?.angle === 45, 20_000);
      expect(store.get('away-1')?.name).toBe('Away');

      // A move as model/src/shard-move.ts does it: copy (summary included), switch the directory, remove from the source.
      await admin().ref(`fleets/${OWNER}/away-1/meta/name`).set('Moved');
      await admin().ref('deviceShards/away-1').remove();
      await admin(SHARD).ref(`fleets/${OWNER}/away-1`).remove();
      await eventually('the row follows the move', () => store.get('away-1')?.name === 'Moved', 20_000);
      await admin(SHARD).ref(`fleets/${OWNER}/away-1`).set({ meta: { name: 'Left behind' } });
      await admin().ref(`fleets/${OWNER}/away-1/state/angle`).set(10);
      await eventually('updates come from the new instance', () => store.get('away-1')?.angle === 10, 20_000);
      expect(store.get('away-1')?.name).toBe('Moved');

      // A device removed from the owner's index leaves the fleet.
      await admin().ref(`users/${OWNER}/devices/home-1`).remove();
      await eventually('the row is removed', () => store.get('home-1') === undefined, 20_000);
    } finally {
      stop();
    }
  });
});
