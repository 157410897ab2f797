// Data between runs, then `npm start` end to end, on free ports and a private data folder:
// 1. startStack, a device and a reading, stop, start again: the device still signs in and the
//    reading is there;
// 2. `npm start -- --fresh` on that folder: it is gone; the banner, the demo owner's login, the
//    demo devices' readings mapped; Ctrl-C stops everything in order (devices offline, no process
//    left, no warning printed).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { deleteApp, initializeApp } from 'firebase/app';
import { connectAuthEmulator, getAuth, signInWithEmailAndPassword } from 'firebase/auth';
import { connectDatabaseEmulator, get, getDatabase, goOffline, push, ref } from 'firebase/database';
import { eventually, freePort, portHolder, startStack, type Stack } from '../src/index.js';
import { npmStart, processesMentioning, type NpmStart } from './support/npm-start.js';

const dataDir = mkdtempSync(join(tmpdir(), 'npm-start-e2e-'));
let run: NpmStart | undefined;
let stack: Stack | undefined;

afterAll(async () => {
  await stack?.stop();
  if (run !== undefined) {
    run.interrupt();
    await run.exited;
  }
  rmSync(dataDir, { recursive: true, force: true });
});

/** Signs in as the device and runs `fn` with its database. */
async function asDevice<T>(s: Stack, email: string, password: string, fn: (db: ReturnType<typeof getDatabase>) => Promise<T>): Promise<T> {
  const app = initializeApp({ projectId: s.projectId, apiKey: 'demo-key', databaseURL: `https://${s.namespace}.firebaseio.com` }, `device-${Date.now()}`);
  try {
    const auth = getAuth(app);
    connectAuthEmulator(auth, s.urls.auth, { disableWarnings: true });
    await signInWithEmailAndPassword(auth, email, password);
    const db = getDatabase(app);
    const [host, port] = s.hosts.database.split(':');
    connectDatabaseEmulator(db, host!, Number(port));
    const result = await fn(db);
    goOffline(db);
    return result;
  } finally {
    await deleteApp(app);
  }
}

describe('data between runs', () => {
  it('a device and its readings survive stop and start', async () => {
    const ports = { database: await freePort(), auth: await freePort() };
    stack = await startStack({ ports, dataDir });
    const owner = await stack.createOwner({ email: 'keeper@example.test', password: 'keep-me-1' });
    const device = await stack.provisionDevice({ deviceId: 'kept-1', owner: owner.uid, password: 'kept-pass-1' });
    const readingId = await asDevice(stack, device.email, device.password, async (db) => (await push(ref(db, 'devices/kept-1/readings'), { ir: 1000, seq: 1 })).key!);
    await stack.functionsIdle();
    await stack.stop();

    stack = await startStack({ ports, dataDir });
    // The device still signs in with its password, reads its config and sends the next reading.
    const sampleMs = await asDevice(stack, device.email, 'kept-pass-1', async (db) => {
      await push(ref(db, 'devices/kept-1/readings'), { ir: 1001, seq: 2 });
      return (await get(ref(db, 'devices/kept-1/config/sampleMs'))).val() as unknown;
    });
    expect(typeof sampleMs).toBe('number');
    const reading = await (await fetch(`${stack.urls.database}/devices/kept-1/readings/${readingId}/ir.json?ns=${stack.namespace}&auth=owner`)).json();
    expect(reading).toBe(1000);
    await stack.stop();
    stack = undefined;
  }, 300_000);
});

describe('npm start', () => {
  it('--fresh starts empty; it comes up with one banner, the demo owner sees the demo devices mapped, and Ctrl-C stops it all', async () => {
    const [database, auth, hosting, mqtt, mqttWs] = [await freePort(), await freePort(), await freePort(), await freePort(), await freePort()];
    run = npmStart([
      '--fresh', '--devices', '2', '--database-port', String(database), '--auth-port', String(auth), '--hosting-port', String(hosting),
      '--mqtt-port', String(mqtt), '--mqtt-ws-port', String(mqttWs), '--data-dir', dataDir,
    ]);
    const output = await run.waitFor(/Ctrl-C stops everything/);
    expect(output).toContain(`--fresh: removed ${dataDir}, starting with empty data`);
    expect(await (await fetch(`http://127.0.0.1:${database}/devices/kept-1.json?ns=demo-firelink-default-rtdb&auth=owner`)).json()).toBeNull();
    const keptSignIn = await fetch(`http://127.0.0.1:${auth}/identitytoolkit.googleapis.com/v1/accounts:signInWithPassword?key=demo-key`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'kept-1@devices.firelink.local', password: 'kept-pass-1', returnSecureToken: true }),
    });
    expect(await keptSignIn.text()).toMatch(/EMAIL_NOT_FOUND|INVALID_LOGIN_CREDENTIALS/);
    expect(output).toMatch(/Firelink is up in \d+\.\d s/);
    expect(output.match(/Firelink is up/g)).toHaveLength(1);
    expect(output).toContain('Sign in as       owner@demo.firelink.local / firelink-demo');
    expect(output).toContain(`MQTT gateway     mqtt://127.0.0.1:${mqtt}  ws://127.0.0.1:${mqttWs}/mqtt`);
    expect(output).toContain(`Database (JSON)  http://127.0.0.1:${database}/.json?ns=demo-firelink-default-rtdb&auth=owner&print=pretty`);
    expect(output).toContain('2 simulated: demo-0001 ... demo-0002');
    // Quiet by default: no trigger lines.
    expect(output).not.toMatch(/onReadingCreated/);

    // The banner's JSON URL answers in a browser (no token needed: auth=owner).
    const json = (await (await fetch(`http://127.0.0.1:${database}/.json?ns=demo-firelink-default-rtdb&auth=owner&print=pretty`)).json()) as { devices?: object };
    expect(Object.keys(json.devices ?? {})).toEqual(expect.arrayContaining(['demo-0001', 'demo-0002']));

    const app = initializeApp({ projectId: 'demo-firelink', apiKey: 'demo-key', databaseURL: 'https://demo-firelink-default-rtdb.firebaseio.com' }, 'npm-start-owner');
    try {
      const authClient = getAuth(app);
      connectAuthEmulator(authClient, `http://127.0.0.1:${auth}`, { disableWarnings: true });
      await signInWithEmailAndPassword(authClient, 'owner@demo.firelink.local', 'firelink-demo');
      const db = getDatabase(app);
      connectDatabaseEmulator(db, '127.0.0.1', database);
      for (const id of ['demo-0001', 'demo-0002']) {
        const owned = await get(ref(db, `users/${authClient.currentUser!.uid}/devices/${id}`));
        expect(owned.val(), `${id} owned by the demo owner`).toBe(true);
        await eventually(`${id}'s readings mapped`, async () => {
          const state = await get(ref(db, `devices/${id}/state`));
          return typeof (state.val() as { angle?: unknown } | null)?.angle === 'number';
        }, 60_000);
      }
      goOffline(db);
    } finally {
      await deleteApp(app);
    }
    await run.waitFor(/fleet: online 2\/2/, 60_000);

    run.interrupt();
    expect(await run.exited).toBe(0);
    const final = run.output();
    expect(final).toMatch(/stopping the fleet \(devices write offline\) \.\.\.\n {2}2\/2 devices wrote offline\nstopping the MQTT gateway \.\.\.\nstopping the functions and the database, then Auth/);
    expect(final).toMatch(/stopped in \d+\.\d s; data kept in /);
    // A clean run and stop: no warning or error line, and the fleet counted no errors.
    expect(final).not.toMatch(/⚠|\bwarn(ing)?\b|\berror\b|failed/i);
    expect(final.match(/errors \d+/g)?.every((m) => m === 'errors 0')).toBe(true);
    expect(processesMentioning(dataDir)).toEqual([]);
    for (const port of [database, auth]) expect(portHolder(port), `port ${port}`).toBeNull();
    // What the data folder kept: both devices offline (a database-only look, in this process).
    const look = await startStack({ processes: 'in-process', auth: false, functions: false, dataDir });
    try {
      const devices = look.emulator!.exportData() as { devices: Record<string, { status?: { online?: boolean } }> };
      expect(devices.devices['demo-0001']?.status?.online).toBe(false);
      expect(devices.devices['demo-0002']?.status?.online).toBe(false);
    } finally {
      await look.stop();
    }
    run = undefined;
  }, 300_000);
});
