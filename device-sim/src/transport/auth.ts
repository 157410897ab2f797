// Device sign-in and token lifecycle through the Identity Toolkit REST API, exactly the two
// requests the firmware makes (https://firebase.google.com/docs/reference/rest/auth):
//   POST {identitytoolkit}/v1/accounts:signInWithPassword?key=K  {email,password,returnSecureToken}
//   POST {securetoken}/v1/token?key=K  grant_type=refresh_token&refresh_token=R   (form encoded)
// Against the Auth emulator both hosts become http://<host>/identitytoolkit.googleapis.com and
// http://<host>/securetoken.googleapis.com. Tokens are refreshed a margin before they expire.
import { SimError } from '../errors.js';
import { errorText, sendHttp, type FetchLike } from './http.js';

export interface AuthEndpoints {
  identityToolkitUrl: string;
  secureTokenUrl: string;
  apiKey: string;
}

export function authEndpoints(options: { authEmulatorHost: string | null; apiKey: string }): AuthEndpoints {
  const host = options.authEmulatorHost;
  return host
    ? {
        identityToolkitUrl: `http://${host}/identitytoolkit.googleapis.com/v1`,
        secureTokenUrl: `http://${host}/securetoken.googleapis.com/v1`,
        apiKey: options.apiKey,
      }
    : {
        identityToolkitUrl: 'https://identitytoolkit.googleapis.com/v1',
        secureTokenUrl: 'https://securetoken.googleapis.com/v1',
        apiKey: options.apiKey,
      };
}

export interface Session {
  idToken: string;
  refreshToken: string;
  uid: string;
  /** Local clock time at which the ID token stops being valid. */
  expiresAtMs: number;
  /** Claims of the ID token (custom claims included, e.g. `device`). */
  claims: Record<string, unknown>;
}

export interface AuthDeps {
  fetch: FetchLike;
  nowMs: () => number;
  timeoutMs: number;
}

/** Claims of a JWT, without verifying it (the server verifies; we only read `device` and `exp`). */
export function decodeJwtClaims(token: string): Record<string, unknown> {
  const payload = token.split('.')[1];
  if (!payload) throw new SimError('bad-credentials', 'the ID token is not a JWT');
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
}

// Identity Toolkit error strings: https://firebase.google.com/docs/reference/rest/auth#section-error-format
const CREDENTIAL_ERRORS = /EMAIL_NOT_FOUND|INVALID_PASSWORD|INVALID_LOGIN_CREDENTIALS|USER_DISABLED|INVALID_EMAIL|MISSING_PASSWORD|INVALID_REFRESH_TOKEN|TOKEN_EXPIRED|USER_NOT_FOUND|API key not valid|API_KEY_INVALID/;

function toSession(
  raw: { idToken: string; refreshToken: string; expiresInSeconds: number },
  nowMs: number,
): Session {
  const claims = decodeJwtClaims(raw.idToken);
  const uid = String(claims.user_id ?? claims.sub ?? '');
  return {
    idToken: raw.idToken,
    refreshToken: raw.refreshToken,
    uid,
    expiresAtMs: nowMs + raw.expiresInSeconds * 1000,
    claims,
  };
}

function failure(status: number, body: unknown, what: string): SimError {
  const text = errorText(body);
  if (CREDENTIAL_ERRORS.test(text)) {
    return new SimError('bad-credentials', `${what} was refused: ${text}. Check the email and password (or credentials file) of this device.`);
  }
  return new SimError('bad-request', `${what} failed with HTTP ${status}: ${text}`);
}

export async function signInWithPassword(deps: AuthDeps, endpoints: AuthEndpoints, email: string, password: string): Promise<Session> {
  const startedMs = deps.nowMs();
  const response = await sendHttp(deps.fetch, {
    method: 'POST',
    url: `${endpoints.identityToolkitUrl}/accounts:signInWithPassword?key=${encodeURIComponent(endpoints.apiKey)}`,
    body: { email, password, returnSecureToken: true },
    timeoutMs: deps.timeoutMs,
  });
  const body = response.body as { idToken?: string; refreshToken?: string; expiresIn?: string } | null;
  if (response.status !== 200 || !body?.idToken || !body.refreshToken) throw failure(response.status, response.body, `sign-in of ${email}`);
  return toSession({ idToken: body.idToken, refreshToken: body.refreshToken, expiresInSeconds: Number(body.expiresIn ?? 3600) }, startedMs);
}

export async function refreshSession(deps: AuthDeps, endpoints: AuthEndpoints, refreshToken: string): Promise<Session> {
  const startedMs = deps.nowMs();
  const response = await sendHttp(deps.fetch, {
    method: 'POST',
    url: `${endpoints.secureTokenUrl}/token?key=${encodeURIComponent(endpoints.apiKey)}`,
    form: { grant_type: 'refresh_token', refresh_token: refreshToken },
    timeoutMs: deps.timeoutMs,
  });
  const body = response.body as { id_token?: string; refresh_token?: string; expires_in?: string } | null;
  if (response.status !== 200 || !body?.id_token || !body.refresh_token) throw failure(response.status, response.body, 'token refresh');
  return toSession({ idToken: body.id_token, refreshToken: body.refresh_token, expiresInSeconds: Number(body.expires_in ?? 3600) }, startedMs);
}
