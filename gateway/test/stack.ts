// The local system for the gateway's integration tests, behind ONE function so that moving to the
// shared `@firelink/stack` package is a change of this file only: the firebase-tools Auth emulator
// and our RTDB emulator (in-process) with database.rules.json and the compiled functions, both on
// free ports, plus device provisioning (the backend's own module) and password sign-in over REST.
import { randomBytes } from 'node:crypto';
import { deleteApp, initializeApp, type App } from 'firebase-admin/app';
import { getAuth } from 'firebase-admin/auth';
import { getDatabase, type Database } from 'firebase-admin/database';
import { startAuthEmulator } from '../../functions/test/support/auth-emulator.js';
import { functionsIdle, NAMESPACE, PROJECT_ID, startTestEmulator } from '../../functions/test/support/emulator.js';
import { provisionDevice } from '../../functions/src/provisioning/provision.js';

export interface ProvisionedDevice {
  deviceId: string;
  uid: string;
  email: string;
  password: string;
}

export interface LocalStack {
  projectId: string;
  namespace: string;
  hosts: { database: string; auth: string };
  admin: Database;
  provisionDevice(deviceId: string): Promise<ProvisionedDevice>;
  /** A fresh ID token for a device (signInWithPassword on the Auth emulator). */
  signIn(device: ProvisionedDevice): Promise<string>;
  functionsIdle(): Promise<void>;
  stop(): Promise<void>;
}

export const OWNER_UID = 'gateway-test-owner';

export async function startLocalStack(): Promise<LocalStack> {
  const auth = await startAuthEmulator({ projectId: PROJECT_ID });
  process.env.FIREBASE_AUTH_EMULATOR_HOST = auth.hostAndPort;
  let emulator;
  try {
    emulator = await startTestEmulator({ functions: true, authEmulatorHost: auth.hostAndPort });
  } catch (err) {
    await auth.stop();
    throw err;
  }
  const running = emulator;
  const app: App = initializeApp(
    { projectId: PROJECT_ID, databaseURL: `http://${running.emulator.hostPort}?ns=${NAMESPACE}` },
    `gateway-test-${randomBytes(4).toString('hex')}`,
  );
  const admin = getDatabase(app);
  return {
    projectId: PROJECT_ID,
    namespace: NAMESPACE,
    hosts: { database: running.emulator.hostPort, auth: auth.hostAndPort },
    admin,
    provisionDevice: async (deviceId) => {
      const made = await provisionDevice({ auth: getAuth(app), db: admin }, { deviceId, ownerUid: OWNER_UID });
      return { deviceId, uid: made.uid, email: made.email, password: made.password };
    },
    signIn: async (device) => {
      const res = await fetch(`http://${auth.hostAndPort}/identitytoolkit.googleapis.com/v1/accounts:signInWithPassword?key=demo-key`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: device.email, password: device.password, returnSecureToken: true }),
      });
      const body = (await res.json()) as { idToken?: string };
      if (!res.ok || !body.idToken) throw new Error(`sign-in of ${device.deviceId} failed: HTTP ${res.status} ${JSON.stringify(body)}`);
      return body.idToken;
    },
    functionsIdle: () => functionsIdle(running.emulator),
    stop: async () => {
      await deleteApp(app);
      await running.stop();
      await auth.stop();
    },
  };
}

/** Waits for `check` to return a defined value, polling; fails with the last problem after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined> | T | undefined, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The same token with other `exp`/`iat` (the Auth emulator's tokens are unsigned, alg "none"). */
export function retimeToken(token: string, expSeconds: number, iatSeconds: number): string {
  const [header, payload] = token.split('.');
  const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
  const changed = { ...claims, exp: expSeconds, iat: iatSeconds, auth_time: Math.min(iatSeconds, Number(claims.auth_time ?? iatSeconds)) };
  return `${header}.${Buffer.from(JSON.stringify(changed)).toString('base64url')}.`;
}
