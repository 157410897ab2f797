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
import { ProvisionError, provisionDevice } from '@firelink/provisioning';
import { functionsDir, NAMESPACE, PROJECT_ID, startTestEmulator, type TestEmulator } from './support/emulator.js';

const provisionCli = join(functionsDir, '..', 'provisioning', 'bin', 'firelink-provision.js');

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

describe('firelink-provision (the one provisioning CLI)', () => {
  // Only the hosts the test stack runs on; no project variable (the default demo project is used).
  const stackFlags = () => ['--auth-emulator-host', t.stack.hosts.auth, '--database-emulator-host', t.emulator.hostPort];
  const env = () => ({ ...process.env, FIREBASE_AUTH_EMULATOR_HOST: '', FIREBASE_DATABASE_EMULATOR_HOST: '', GCLOUD_PROJECT: '' });
  type Failure = { code: number; stdout: string; stderr: string };

  it('prints the credentials once as JSON with a secrets.h block, and they work', async () => {
    const { stdout, stderr } = await run(process.execPath, [provisionCli, '--device', 'cli-1', '--owner', 'carol', '--zone', 'hall', ...stackFlags()], { env: env() });
    const result = JSON.parse(stdout) as { status: string; device: { email: string; password: string; deviceId: string }; secretsH: string };
    expect(result.status).toBe('created');
    expect(result.device.deviceId).toBe('cli-1');
    expect(result.secretsH).toContain('#define FIRELINK_DEVICE_EMAIL "cli-1@devices.firelink.local"');
    expect(stderr).toContain(result.device.password);
    expect(await val('users/carol/devices/cli-1')).toBe(true);
    const { claims } = await signIn(result.device.email, result.device.password);
    expect(claims.device).toBe('cli-1');
    const again = await run(process.execPath, [provisionCli, '--device', 'cli-1', '--owner', 'carol', ...stackFlags()], { env: env() });
    expect(JSON.parse(again.stdout)).toMatchObject({ status: 'already-exists', deviceId: 'cli-1' });
    const strict = await run(process.execPath, [provisionCli, '--device', 'cli-1', '--owner', 'carol', '--fail-if-exists', ...stackFlags()], { env: env() }).catch((e: Failure) => e);
    expect(strict).toMatchObject({ code: 3 });
  });

  it('exits 6 with a JSON error when the emulators are not up, and 2 on usage errors', async () => {
    const down = await run(process.execPath, [provisionCli, '--device', 'cli-2', '--owner', 'carol', '--auth-emulator-host', '127.0.0.1:1', '--database-emulator-host', '127.0.0.1:1'], { env: env() }).catch((e: Failure) => e);
    expect(down).toMatchObject({ code: 6 });
    expect(JSON.parse((down as Failure).stdout)).toMatchObject({ status: 'error', code: 'unreachable' });
    const usage = await run(process.execPath, [provisionCli, '--owner', 'carol'], { env: env() }).catch((e: Failure) => e);
    expect(usage).toMatchObject({ code: 2 });
  });
});
