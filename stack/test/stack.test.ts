// startStack() as tests use it: real firebase-tools Auth emulator, our RTDB emulator with the rules
// and the functions host in a child process, real SDK clients over real sockets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getAuth } from 'firebase-admin/auth';
import { getDatabase } from 'firebase-admin/database';
import { deleteApp, initializeApp } from 'firebase/app';
import { connectAuthEmulator, getAuth as getClientAuth, signInWithEmailAndPassword } from 'firebase/auth';
import { connectDatabaseEmulator, get, getDatabase as getClientDatabase, push, ref } from 'firebase/database';
import { eventually, startStack, stackConfig, type Stack } from '../src/index.js';

describe('startStack (child processes, free ports)', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ ports: 'free', processes: 'child', functions: true, demoOwner: true });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('reports the project from firebase.json/.firebaserc and points this process at its emulators', () => {
    expect(stack.projectId).toBe(stackConfig().projectId);
    expect(stack.projectId).toMatch(/^demo-/);
    expect(stack.namespace).toBe(`${stack.projectId}-default-rtdb`);
    expect(process.env.FIREBASE_DATABASE_EMULATOR_HOST).toBe(stack.hosts.database);
    expect(process.env.FIREBASE_AUTH_EMULATOR_HOST).toBe(stack.hosts.auth);
    expect(stack.services().map((s) => [s.name, s.running])).toEqual([
      ['auth', true],
      ['database', true],
    ]);
  });

  it('a provisioned device signs in with its password and its reading is mapped by the functions', async () => {
    const owner = await stack.createOwner({ email: 'someone@example.test', password: 'secret-1' });
    const device = await stack.provisionDevice({ deviceId: 'stack-t1', owner: owner.uid, password: 'pw-123456' });
    expect(device.email).toMatch(/^stack-t1@/);
    const app = initializeApp({ projectId: stack.projectId, apiKey: 'demo-key', databaseURL: `https://${stack.namespace}.firebaseio.com` }, 'device-t1');
    try {
      const auth = getClientAuth(app);
      connectAuthEmulator(auth, stack.urls.auth, { disableWarnings: true });
      await signInWithEmailAndPassword(auth, device.email, 'pw-123456');
      const db = getClientDatabase(app);
      const [host, port] = stack.hosts.database.split(':');
      connectDatabaseEmulator(db, host!, Number(port));
      await push(ref(db, `devices/stack-t1/readings`), { ir: 2048, seq: 1 });
      const state = await eventually('the reading mapped to state', async () => {
        const snap = await get(ref(db, 'devices/stack-t1/state'));
        return snap.exists() ? (snap.val() as { angle?: number }) : undefined;
      });
      expect(typeof state.angle).toBe('number');
    } finally {
      await deleteApp(app);
    }
  });

  it('the demo owner exists with its documented password and the admin app reads the database', async () => {
    expect(stack.demoOwner?.email).toBe('owner@demo.firelink.local');
    const user = await getAuth(stack.adminApp()).getUserByEmail('owner@demo.firelink.local');
    expect(user.uid).toBe(stack.demoOwner?.uid);
    const snap = await getDatabase(stack.adminApp()).ref('devices/stack-t1/meta/owner').get();
    expect(snap.val()).toBe((await getAuth(stack.adminApp()).getUserByEmail('someone@example.test')).uid);
  });

  it('restartDatabase keeps the data and the port', async () => {
    const before = stack.hosts.database;
    await stack.restartDatabase();
    expect(stack.hosts.database).toBe(before);
    const res = await fetch(`${stack.urls.database}/devices/stack-t1/meta/name.json?ns=${stack.namespace}&auth=owner`);
    expect(await res.json()).toBe('stack-t1');
  });

  it('stop() ends every child process', async () => {
    const pids = stack.services().map((s) => s.pid!);
    await stack.stop();
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
  });
});
