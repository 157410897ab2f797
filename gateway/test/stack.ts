// The local system for the gateway's integration tests, behind ONE function: the `@firelink/stack`
// started once by test/global-stack.ts (Auth emulator, our RTDB emulator with database.rules.json
// and the compiled functions, on free ports), an admin app on it, device provisioning through the
// backend's own module, and password sign-in over REST for devices' ID tokens.
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { deleteApp, initializeApp } from 'firebase-admin/app';
import { getAuth } from 'firebase-admin/auth';
import { getDatabase, type Database } from 'firebase-admin/database';
import { functionsIdle } from '@firelink/stack';
import { provisionDevice } from '@firelink/provisioning';

export { eventually } from '@firelink/stack';

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
  const provided = inject('stack');
  // The SDKs read these when an app first connects; the gateway's config reads them at start.
  process.env.FIREBASE_DATABASE_EMULATOR_HOST = provided.database;
  process.env.FIREBASE_AUTH_EMULATOR_HOST = provided.auth;
  const app = initializeApp(
    { projectId: provided.projectId, databaseURL: `http://${provided.database}?ns=${provided.namespace}` },
    `gateway-test-${randomBytes(4).toString('hex')}`,
  );
  const admin = getDatabase(app);
  return {
    projectId: provided.projectId,
    namespace: provided.namespace,
    hosts: { database: provided.database, auth: provided.auth },
    admin,
    provisionDevice: async (deviceId) => {
      const made = await provisionDevice({ auth: getAuth(app), db: admin }, { deviceId, ownerUid: OWNER_UID });
      return { deviceId, uid: made.uid, email: made.email, password: made.password };
    },
    signIn: async (device) => {
      const res = await fetch(`http://${provided.auth}/identitytoolkit.googleapis.com/v1/accounts:signInWithPassword?key=demo-key`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: device.email, password: device.password, returnSecureToken: true }),
      });
      const body = (await res.json()) as { idToken?: string };
      if (!res.ok || !body.idToken) throw new Error(`sign-in of ${device.deviceId} failed: HTTP ${res.status} ${JSON.stringify(body)}`);
      return body.idToken;
    },
    functionsIdle: () => functionsIdle(`http://${provided.database}`),
    stop: () => deleteApp(app),
  };
}

/** The same token with other `exp`/`iat` (the Auth emulator's tokens are unsigned, alg "none"). */
export function retimeToken(token: string, expSeconds: number, iatSeconds: number): string {
  const [header, payload] = token.split('.');
  const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
  const changed = { ...claims, exp: expSeconds, iat: iatSeconds, auth_time: Math.min(iatSeconds, Number(claims.auth_time ?? iatSeconds)) };
  return `${header}.${Buffer.from(JSON.stringify(changed)).toString('base64url')}.`;
}
