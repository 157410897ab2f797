// A stack with the demo owner and a fleet, its data in a folder: the demo owner signs in and sees
// its devices' readings mapped; after stop() no process is left and every device wrote offline.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { deleteApp, initializeApp } from 'firebase/app';
import { connectAuthEmulator, getAuth, signInWithEmailAndPassword } from 'firebase/auth';
import { connectDatabaseEmulator, get, getDatabase, goOffline, ref } from 'firebase/database';
import { DEMO_OWNER, eventually, startStack, type Stack } from '../src/index.js';

const dataDir = mkdtempSync(join(tmpdir(), 'stack-fleet-test-'));
let stack: Stack | undefined;

afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('startStack with a fleet', () => {
  it('the demo owner sees its devices mapped; stop leaves no process and the devices offline', async () => {
    stack = await startStack({ ports: 'free', demoOwner: true, fleet: { count: 2, rate: 2 }, dataDir });
    expect(stack.fleetDeviceIds).toEqual(['demo-0001', 'demo-0002']);
    const app = initializeApp({ projectId: stack.projectId, apiKey: 'demo-key', databaseURL: `https://${stack.namespace}.firebaseio.com` }, 'demo-owner-view');
    try {
      const auth = getAuth(app);
      connectAuthEmulator(auth, stack.urls.auth, { disableWarnings: true });
      const signedIn = await signInWithEmailAndPassword(auth, DEMO_OWNER.email, DEMO_OWNER.password);
      expect(signedIn.user.uid).toBe(DEMO_OWNER.uid);
      const db = getDatabase(app);
      const [host, port] = stack.hosts.database.split(':');
      connectDatabaseEmulator(db, host!, Number(port));
      for (const id of stack.fleetDeviceIds) {
        const state = await eventually(`a mapped state of ${id} readable by the owner`, async () => {
          const snap = await get(ref(db, `devices/${id}/state`));
          return snap.exists() ? (snap.val() as { angle?: unknown; seq?: unknown }) : undefined;
        }, 60_000);
        expect(typeof state.angle).toBe('number');
      }
      goOffline(db);
    } finally {
      await deleteApp(app);
    }
    const pids = stack.services().map((s) => s.pid!);
    expect(pids).toHaveLength(3);
    await stack.stop();
    for (const pid of pids) expect(() => process.kill(-pid, 0), `process group ${pid}`).toThrow();
    // The database wrote its data folder on stop: every device said goodbye.
    const saved = JSON.parse(readFileSync(join(dataDir, 'database', 'database.json'), 'utf8')) as {
      devices: Record<string, { status?: { online?: boolean } }>;
    };
    for (const id of ['demo-0001', 'demo-0002']) expect(saved.devices[id]?.status?.online, id).toBe(false);
  });
});
