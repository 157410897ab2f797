/**
 * Authentication: the MQTT username is the device id, the password the device's Firebase ID
 * token. The token is verified with firebase-admin (`verifyIdToken`; against the Auth emulator
 * when FIREBASE_AUTH_EMULATOR_HOST is set, see firebase-admin src/auth/token-verifier.ts), and its
 * `device` custom claim (set by provisioning) must equal the username.
 */
import type { Auth, DecodedIdToken } from 'firebase-admin/auth';
import { DEVICE_ID_PATTERN, DEVICE_ID_RULE } from '@firelink/model';

export interface DeviceIdentity {
  deviceId: string;
  uid: string;
  /** The raw ID token: the gateway writes with it, so the rules see the device itself. */
  token: string;
  expiresAtMs: number;
}

export type Verification = { ok: true; identity: DeviceIdentity } | { ok: false; reason: string };

export type TokenVerifier = (token: string) => Promise<DecodedIdToken>;

export function adminVerifier(auth: Auth): TokenVerifier {
  return (token) => auth.verifyIdToken(token);
}

export async function verifyDevice(verify: TokenVerifier, username: string | undefined, password: Buffer | string | undefined): Promise<Verification> {
  if (username === undefined || !DEVICE_ID_PATTERN.test(username)) {
    return { ok: false, reason: `username must be the device id: ${DEVICE_ID_RULE} (got ${JSON.stringify(username ?? null)})` };
  }
  const token = password === undefined ? '' : password.toString().trim();
  if (token === '') return { ok: false, reason: 'password must be the device\'s Firebase ID token (it was empty)' };
  let decoded: DecodedIdToken;
  try {
    decoded = await verify(token);
  } catch (err) {
    const code = (err as { code?: string }).code ?? 'auth/invalid-id-token';
    return { ok: false, reason: `ID token refused (${code}): ${err instanceof Error ? err.message.split('\n')[0] : String(err)}` };
  }
  if (decoded.device !== username) {
    return {
      ok: false,
      reason: `the ID token's device claim is ${JSON.stringify(decoded.device ?? null)}, not the username ${username}: sign in with this device's own account`,
    };
  }
  return { ok: true, identity: { deviceId: username, uid: decoded.uid, token, expiresAtMs: decoded.exp * 1000 } };
}
