// startStack() as tests use it: real firebase-tools Auth emulator, our RTDB emulator with the rules
// and the functions host in a child process, real SDK clients over real sockets.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getAuth } from 'firebase-admin/auth';
import { getDatabase } from 'firebase-admin/database';
import { deleteApp, initializeApp } from 'firebase/app';
import { connectAuthEmulator, getAuth as getClientAuth, signInWithEmailAndPassword } from 'firebase/auth';
import { connectDatabaseEmulator, get, getDatabase as getClientDatabase, goOffline, push, ref } from 'firebase/database';
import { DEMO_OWNER, eventually, startStack, stackConfig, type Stack } from '../src/index.js';

const dataDir = mkdtempSync(join(tmpdir(), 'stack-test-'));

describe('startStack (child processes, free ports, demo owner, a fleet, a data folder)', () => {
  let stack: Stack;
  const databaseLines: string[] = [];

  beforeAll(async () => {
    stack = await startStack({
      ports: 'free', processes: 'child', functions: true, demoOwner: true, fleet: { count: 2, rate: 2 }, dataDir,
      logInvocations: false,
      log: (line) => {
        if (line.startsWith('[database] ')) databaseLines.push(line);
      },
    });
  });

  afterAll(async () => {
    await stack?.stop();
    rmSync(dataDir, { recursive: true, force: true });
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
      ['fleet', true],
    ]);
    expect(stack.fleetDeviceIds).toEqual(['demo-0001', 'demo-0002']);
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

  it('the demo owner signs in and sees the fleet devices mapped', async () => {
    const app = initializeApp({ projectId: stack.projectId, apiKey: 'demo-key', databaseURL: `https://${stack.namespace}.firebaseio.com` }, 'demo-owner-view');
    try {
      const auth = getClientAuth(app);
      connectAuthEmulator(auth, stack.urls.auth, { disableWarnings: true });
      const signedIn = await signInWithEmailAndPassword(auth, DEMO_OWNER.email, DEMO_OWNER.password);
      expect(signedIn.user.uid).toBe(DEMO_OWNER.uid);
      const db = getClientDatabase(app);
      const [host, port] = stack.hosts.database.split(':');
      connectDatabaseEmulator(db, host!, Number(port));
      for (const id of stack.fleetDeviceIds) {
        const state = await eventually(`a mapped state of ${id} readable by the owner`, async () => {
          const snap = await get(ref(db, `devices/${id}/state`));
          return snap.exists() ? (snap.val() as { angle?: unknown }) : undefined;
        }, 60_000);
        expect(typeof state.angle).toBe('number');
      }
      goOffline(db);
    } finally {
      await deleteApp(app);
    }
    // logInvocations: false: mapped readings, and no line for each successful invocation.
    expect(databaseLines.some((line) => line.includes('rtdb-emulator: ready'))).toBe(true);
    expect(databaseLines.filter((line) => / ok in /.test(line))).toEqual([]);
  });

  it("another fleet with the demo prefix is refused while the demo devices are online, and keeps their passwords", async () => {
    const cli = join(stackConfig().root, 'device-sim', 'dist', 'cli.js');
    const env = { ...process.env, FIREBASE_DATABASE_EMULATOR_HOST: stack.hosts.database, FIREBASE_AUTH_EMULATOR_HOST: stack.hosts.auth };
    const result = spawnSync(process.execPath, [cli, 'fleet', '--count', '1', '--prefix', 'demo', '--owner', DEMO_OWNER.uid, '--duration-ms', '1000'], { env, encoding: 'utf8', timeout: 60_000 });
    expect(result.stdout + result.stderr).toContain('provision demo-0001: the device is online (another simulator or a real device is using it), so its password is not rotated');
    expect(result.stdout + result.stderr).toContain('pass --rotate');
    // The demo fleet still runs (its tokens are intact): it keeps producing states.
    const before = await (await fetch(`${stack.urls.database}/devices/demo-0001/state/seq.json?ns=${stack.namespace}&auth=owner`)).json();
    await eventually('a newer state of demo-0001', async () => {
      const now = await (await fetch(`${stack.urls.database}/devices/demo-0001/state/seq.json?ns=${stack.namespace}&auth=owner`)).json();
      return (now as number) > (before as number);
    }, 30_000);
  });

  it('a reading acknowledged just before restartDatabase is still mapped after it', async () => {
    const owner = await stack.createOwner({ email: 'restart@example.test', password: 'secret-2' });
    const device = await stack.provisionDevice({ deviceId: 'stack-t2', owner: owner.uid, password: 'pw-234567' });
    const app = initializeApp({ projectId: stack.projectId, apiKey: 'demo-key', databaseURL: `https://${stack.namespace}.firebaseio.com` }, 'device-t2');
    try {
      const auth = getClientAuth(app);
      connectAuthEmulator(auth, stack.urls.auth, { disableWarnings: true });
      await signInWithEmailAndPassword(auth, device.email, 'pw-234567');
      const db = getClientDatabase(app);
      const [host, port] = stack.hosts.database.split(':');
      connectDatabaseEmulator(db, host!, Number(port));
      const key = (await push(ref(db, 'devices/stack-t2/readings'), { ir: 3000, seq: 7 })).key!;
      goOffline(db);
      // No functionsIdle: the trigger may still be pending when the database stops.
      await stack.restartDatabase();
      await eventually('the reading mapped after the restart', async () => {
        const res = await fetch(`${stack.urls.database}/devices/stack-t2/state/readingId.json?ns=${stack.namespace}&auth=owner`);
        return (await res.json()) === key;
      }, 60_000);
    } finally {
      await deleteApp(app);
    }
  });

  it('restartDatabase keeps the data and the port', async () => {
    const before = stack.hosts.database;
    await stack.restartDatabase();
    expect(stack.hosts.database).toBe(before);
    const res = await fetch(`${stack.urls.database}/devices/stack-t1/meta/name.json?ns=${stack.namespace}&auth=owner`);
    expect(await res.json()).toBe('stack-t1');
  });

  it('stop() ends every process group, and every device wrote offline first', async () => {
    const pids = stack.services().map((s) => s.pid!);
    expect(pids).toHaveLength(3);
    // The fleet goes first: every device says goodbye while the database still runs.
    await stack.stopFleet();
    for (const id of ['demo-0001', 'demo-0002']) {
      const res = await fetch(`${stack.urls.database}/devices/${id}/status/online.json?ns=${stack.namespace}&auth=owner`);
      expect(await res.json(), id).toBe(false);
    }
    await stack.stop();
    for (const pid of pids) expect(() => process.kill(-pid, 0), `process group ${pid}`).toThrow();
    expect(readdirSync(join(dataDir, 'database')).length, 'the durable data folder').toBeGreaterThan(0);
  });
});
