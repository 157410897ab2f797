// Provisioning against the firebase-tools Auth emulator and our RTDB emulator: the device it
// creates signs in with e-mail + password and can write only its own node.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteApp as deleteAdminApp, initializeApp as initializeAdminApp, type App } from 'firebase-admin/app';
import { getAuth as getAdminAuth } from 'firebase-admin/auth';
import { getDatabase as getAdminDatabase } from 'firebase-admin/database';
import { deleteApp, initializeApp, setLogLevel } from 'firebase/app';
import { connectAuthEmulator, getAuth, signInWithEmailAndPassword } from 'firebase/auth';
import { connectDatabaseEmulator, get, getDatabase, goOffline, ref, set } from 'firebase/database';
import { DEFAULT_CONFIG } from '@firelink/model';
import { provisionDevice } from '../src/provisioning/provision.js';
import { ProvisionError } from '../src/provisioning/errors.js';
import { functionsDir, NAMESPACE, PROJECT_ID, startTestEmulator, type TestEmulator } from './support/emulator.js';

setLogLevel('error');
const run = promisify(execFile);

let t: TestEmulator;
let admin: App;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  t = await startTestEmulator({ auth: true });
  admin = initializeAdminApp({ projectId: PROJECT_ID, databaseURL: `http://${t.emulator.hostPort}?ns=${NAMESPACE}` }, `prov-${randomBytes(4).toString('hex')}`);
}, 120_000);

afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
  if (admin) await deleteAdminApp(admin);
  await t?.stop();
});

const deps = () => ({ auth: getAdminAuth(admin), db: getAdminDatabase(admin) });
const val = async (path: string): Promise<unknown> => (await getAdminDatabase(admin).ref(path).get()).val();

/** Signs in like a device (Identity Toolkit through the client SDK) and returns its database. */
async function signIn(email: string, password: string) {
  const app = initializeApp({ projectId: PROJECT_ID, apiKey: 'demo-key', databaseURL: `https://${NAMESPACE}.firebaseio.com` }, `dev-${randomBytes(4).toString('hex')}`);
  const a = getAuth(app);
  connectAuthEmulator(a, `http://${t.stack.hosts.auth}`, { disableWarnings: true });
  const credential = await signInWithEmailAndPassword(a, email, password);
  const db = getDatabase(app);
  connectDatabaseEmulator(db, t.emulator.host, t.emulator.port);
  cleanups.push(async () => {
    goOffline(db);
    await deleteApp(app);
  });
  return { db, claims: (await credential.user.getIdTokenResult()).claims };
}

describe('provisionDevice', () => {
  it('creates a device user that signs in and writes only its own node', async () => {
    const creds = await provisionDevice(deps(), { deviceId: 'prov-1', ownerUid: 'alice', zone: 'lab', name: 'Lab sensor' });
    expect(creds).toMatchObject({ deviceId: 'prov-1', email: 'prov-1@devices.firelink.local', owner: 'alice', zone: 'lab', rotated: false });
    expect(creds.password).toMatch(/^[0-9A-D]{16}$/);
    expect(await val('users/alice/devices/prov-1')).toBe(true);
    expect(await val('devices/prov-1/config')).toEqual(DEFAULT_CONFIG);
    expect(await val('devices/prov-1/meta')).toMatchObject({ name: 'Lab sensor', owner: 'alice', zone: 'lab', createdAt: expect.any(Number) });
    expect(await val('zones/lab/devices/prov-1')).toBe(true);
    expect(await val('zones/lab/owners/alice/prov-1')).toBe(true);

    const { db, claims } = await signIn(creds.email, creds.password);
    expect(claims.device).toBe('prov-1');
    await set(ref(db, 'devices/prov-1/readings/r1'), { ir: 100, seq: 1 });
    expect((await get(ref(db, 'devices/prov-1/config'))).val()).toEqual(DEFAULT_CONFIG);
    await provisionDevice(deps(), { deviceId: 'prov-2', ownerUid: 'bob' });
    await expect(set(ref(db, 'devices/prov-2/readings/r1'), { ir: 100, seq: 1 })).rejects.toThrow(/permission/i);
    await expect(get(ref(db, 'devices/prov-2/config'))).rejects.toThrow(/permission/i);
    await expect(set(ref(db, 'devices/prov-1/state/angle'), 5)).rejects.toThrow(/permission/i);
  });

  it('the device signs in and writes over REST, as the firmware does', async () => {
    const creds = await provisionDevice(deps(), { deviceId: 'rest-1', ownerUid: 'alice' });
    // Identity Toolkit REST sign-in (what the ESP32 sends after reading the password from the keypad).
    const signInUrl = `http://${t.stack.hosts.auth}/identitytoolkit.googleapis.com/v1/accounts:signInWithPassword?key=demo-key`;
    const res = await fetch(signInUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: creds.email, password: creds.password, returnSecureToken: true }),
    });
    expect(res.status).toBe(200);
    const { idToken } = (await res.json()) as { idToken: string };
    const rest = (method: string, path: string, body?: unknown) =>
      fetch(`${t.emulator.url}/${path}.json?ns=${NAMESPACE}&auth=${encodeURIComponent(idToken)}`, {
        method,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    const push = await rest('POST', 'devices/rest-1/readings', { ir: 3000, seq: 1, deviceTs: Date.now() - 100 });
    expect(push.status).toBe(200);
    expect(((await push.json()) as { name: string }).name).toMatch(/^[-0-9A-Za-z_]{20}$/);
    expect((await rest('PATCH', 'devices/rest-1/status', { online: true, lastSeen: { '.sv': 'timestamp' }, fw: '1.0.0' })).status).toBe(200);
    expect((await rest('GET', 'devices/rest-1/config')).status).toBe(200);
    expect((await rest('POST', 'devices/prov-1/readings', { ir: 1, seq: 5 })).status).toBe(401);
    expect((await rest('PUT', 'devices/rest-1/state/angle', 90)).status).toBe(401);
    expect((await rest('POST', 'devices/rest-1/readings', { ir: 5000, seq: 2 })).status).toBe(401);
  });

  it('refuses to provision a device twice, and rotates its password on request', async () => {
    const first = await provisionDevice(deps(), { deviceId: 'prov-3', ownerUid: 'alice' });
    await expect(provisionDevice(deps(), { deviceId: 'prov-3', ownerUid: 'alice' })).rejects.toMatchObject({ code: 'already-exists' });
    await expect(provisionDevice(deps(), { deviceId: 'prov-3', ownerUid: 'mallory', rotate: true })).rejects.toMatchObject({ code: 'failed-precondition' });
    const second = await provisionDevice(deps(), { deviceId: 'prov-3', ownerUid: 'alice', rotate: true });
    expect(second.rotated).toBe(true);
    expect(second.password).not.toBe(first.password);
    await expect(signIn(first.email, first.password)).rejects.toThrow(/password|credential/i);
    const { claims } = await signIn(second.email, second.password);
    expect(claims.device).toBe('prov-3');
  });

  it('rejects bad ids with a message naming the argument', async () => {
    const err = await provisionDevice(deps(), { deviceId: 'Bad_Id', ownerUid: 'alice' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProvisionError);
    expect((err as ProvisionError).code).toBe('invalid-argument');
    expect((err as Error).message).toMatch(/^device: /);
    await expect(provisionDevice(deps(), { deviceId: 'rot-none', ownerUid: 'alice', rotate: true })).rejects.toMatchObject({ code: 'failed-precondition' });
  });
});

describe('provision CLI', () => {
  const cli = join(functionsDir, 'lib', 'provisioning', 'cli.js');
  const emulatorEnv = () => ({
    ...process.env,
    FIREBASE_AUTH_EMULATOR_HOST: t.stack.hosts.auth,
    FIREBASE_DATABASE_EMULATOR_HOST: t.emulator.hostPort,
    GCLOUD_PROJECT: PROJECT_ID,
  });

  it('prints the credentials once as JSON, and they work', async () => {
    const { stdout } = await run(process.execPath, [cli, '--device', 'cli-1', '--owner', 'carol', '--zone', 'hall', '--json'], { env: emulatorEnv() });
    const creds = JSON.parse(stdout) as { email: string; password: string; deviceId: string };
    expect(creds.deviceId).toBe('cli-1');
    expect(await val('users/carol/devices/cli-1')).toBe(true);
    const { claims } = await signIn(creds.email, creds.password);
    expect(claims.device).toBe('cli-1');
    const again = await run(process.execPath, [cli, '--device', 'cli-1', '--owner', 'carol'], { env: emulatorEnv() }).catch((e: { code: number; stderr: string }) => e);
    expect(again).toMatchObject({ code: 1 });
    expect((again as { stderr: string }).stderr).toContain('already provisioned');
  });

  it('refuses to run without the emulators and a demo project unless --project is given', async () => {
    const env = { ...process.env, GCLOUD_PROJECT: PROJECT_ID, FIREBASE_AUTH_EMULATOR_HOST: '', FIREBASE_DATABASE_EMULATOR_HOST: '' };
    const result = await run(process.execPath, [cli, '--device', 'cli-2', '--owner', 'carol'], { env }).catch((e: { code: number; stderr: string }) => e);
    expect(result).toMatchObject({ code: 1 });
    expect((result as { stderr: string }).stderr).toMatch(/refusing to provision.*--project/s);
    const usage = await run(process.execPath, [cli, '--owner', 'carol'], { env }).catch((e: { code: number; stderr: string }) => e);
    expect(usage).toMatchObject({ code: 2 });
  });
});
