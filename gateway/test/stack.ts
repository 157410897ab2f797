// The local system for the gateway's integration tests, behind ONE function: `@firelink/stack`
// (Auth emulator, our RTDB emulator with database.rules.json and the compiled functions, on free
// ports), plus password sign-in over REST for devices' ID tokens.
import { getDatabase, type Database } from 'firebase-admin/database';
import { startStack, type Stack } from '@firelink/stack';

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
  const stack: Stack = await startStack({ ports: 'free', processes: 'in-process', functions: true });
  const admin = getDatabase(stack.adminApp());
  return {
    projectId: stack.projectId,
    namespace: stack.namespace,
    hosts: stack.hosts,
    admin,
    provisionDevice: async (deviceId) => {
      const made = await stack.provisionDevice({ deviceId, owner: OWNER_UID });
      return { deviceId, uid: made.uid, email: made.email, password: made.password };
    },
    signIn: async (device) => {
      const res = await fetch(`${stack.urls.auth}/identitytoolkit.googleapis.com/v1/accounts:signInWithPassword?key=demo-key`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: device.email, password: device.password, returnSecureToken: true }),
      });
      const body = (await res.json()) as { idToken?: string };
      if (!res.ok || !body.idToken) throw new Error(`sign-in of ${device.deviceId} failed: HTTP ${res.status} ${JSON.stringify(body)}`);
      return body.idToken;
    },
    functionsIdle: () => stack.functionsIdle(),
    stop: () => stack.stop(),
  };
}

/** The same token with other `exp`/`iat` (the Auth emulator's tokens are unsigned, alg "none"). */
export function retimeToken(token: string, expSeconds: number, iatSeconds: number): string {
  const [header, payload] = token.split('.');
  const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
  const changed = { ...claims, exp: expSeconds, iat: iatSeconds, auth_time: Math.min(iatSeconds, Number(claims.auth_time ?? iatSeconds)) };
  return `${header}.${Buffer.from(JSON.stringify(changed)).toString('base64url')}.`;
}
