// Credentials → identities (docs/protocol.md §6). Tokens are decoded, never verified: the emulator
// accepts unsigned emulator ID tokens and rules-unit-testing mock tokens (`alg: none`), as the
// official emulator does. Strict mode checks what production checks besides the signature:
// a numeric `exp` in the future, `aud` = the project, `iss` = securetoken.google.com/<project>.
import type { AuthVariable, Identity } from './contracts.js';
import { BAD_TOKEN, EXPIRED_TOKEN, RtdbError } from './errors.js';

export interface TokenPolicy {
  /** Refuse tokens whose `exp` has passed. */
  readonly strictTokens: boolean;
  /** Refuse tokens whose `iat` is older than this (strict mode only); null = no limit. */
  readonly tokenMaxAgeSeconds: number | null;
  /** Strict mode: the project `aud` and `iss` must name. */
  readonly projectId?: string;
  /** Strict mode: told why a token was refused (clients only get production's fixed message). */
  readonly onRefused?: (reason: string) => void;
}

/** Why strict mode cannot use these claims, or null when they are usable. */
export function strictTokenProblem(claims: Record<string, unknown>, policy: TokenPolicy): string | null {
  const exp = claims['exp'];
  if (typeof exp !== 'number' || !Number.isFinite(exp)) return `exp must be a number of seconds, got ${JSON.stringify(exp) ?? 'none'}`;
  if (policy.projectId !== undefined) {
    if (claims['aud'] !== policy.projectId) return `aud ${JSON.stringify(claims['aud']) ?? 'missing'} is not the project "${policy.projectId}"`;
    const iss = `https://securetoken.google.com/${policy.projectId}`;
    if (claims['iss'] !== iss) return `iss ${JSON.stringify(claims['iss']) ?? 'missing'} is not "${iss}"`;
  }
  return null;
}

export interface Credential {
  readonly identity: Identity;
  /** When the credential stops being valid under the policy (ms epoch); null = never. */
  readonly expiresAtMs: number | null;
  /** Decoded JWT claims, for the `auth` reply. */
  readonly claims: Record<string, unknown> | null;
}

export const ADMIN: Credential = { identity: { kind: 'admin' }, expiresAtMs: null, claims: null };
export const ANONYMOUS: Credential = { identity: { kind: 'unauthenticated' }, expiresAtMs: null, claims: null };

function decodeBase64Url(segment: string): string {
  // Lenient: URL-safe or standard alphabet, `=` or `.` padding, or none (UTIL base64).
  const clean = segment.replace(/[.=]+$/, '').replace(/-/g, '+').replace(/_/g, '/');
  return Buffer.from(clean, 'base64').toString('utf8');
}

/** The claims of a JWT-shaped token, or null when it is not one. */
export function decodeJwt(token: string): Record<string, unknown> | null {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[1] === undefined || parts[1].length === 0) return null;
  try {
    const claims: unknown = JSON.parse(decodeBase64Url(parts[1]));
    return typeof claims === 'object' && claims !== null && !Array.isArray(claims) ? (claims as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The rules `auth` variable for ID-token claims (Firebase rules reference "auth"). */
export function authVariableFromClaims(claims: Record<string, unknown>): AuthVariable {
  const firebase = claims['firebase'];
  const provider =
    typeof firebase === 'object' && firebase !== null && typeof (firebase as Record<string, unknown>)['sign_in_provider'] === 'string'
      ? ((firebase as Record<string, unknown>)['sign_in_provider'] as string)
      : 'custom';
  const sub = claims['sub'] ?? claims['user_id'] ?? null;
  return { uid: typeof sub === 'string' ? sub : null, provider, token: claims };
}

function expiryMs(claims: Record<string, unknown>, policy: TokenPolicy): number | null {
  if (!policy.strictTokens) return null;
  const limits: number[] = [];
  if (typeof claims['exp'] === 'number') limits.push(claims['exp'] * 1000);
  if (policy.tokenMaxAgeSeconds !== null && typeof claims['iat'] === 'number') {
    limits.push((claims['iat'] + policy.tokenMaxAgeSeconds) * 1000);
  }
  return limits.length === 0 ? null : Math.min(...limits);
}

/** An end-user ID token (socket `auth`, REST JWT). Throws invalid_token / expired_token. */
export function userCredential(token: string, policy: TokenPolicy, nowMs: number): Credential {
  const claims = decodeJwt(token);
  if (claims === null) throw new RtdbError('invalid_token', BAD_TOKEN);
  if (policy.strictTokens) {
    const problem = strictTokenProblem(claims, policy);
    if (problem !== null) {
      policy.onRefused?.(problem);
      throw new RtdbError('invalid_token', BAD_TOKEN);
    }
  }
  const expiresAtMs = expiryMs(claims, policy);
  if (expiresAtMs !== null && expiresAtMs <= nowMs) throw new RtdbError('expired_token', EXPIRED_TOKEN);
  return { identity: { kind: 'user', auth: authVariableFromClaims(claims) }, expiresAtMs, claims };
}

/**
 * Socket `gauth`: `owner` or any non-JWT string is admin (an OAuth token or legacy secret is
 * admin-equivalent in production); `authvar` runs rules as that auth, `noauth` as nobody.
 */
export function adminCredential(body: { authvar?: unknown; noauth?: unknown }): Credential {
  if (body.noauth === true) return ANONYMOUS;
  if (typeof body.authvar === 'object' && body.authvar !== null && !Array.isArray(body.authvar)) {
    return { identity: { kind: 'user', auth: body.authvar as AuthVariable }, expiresAtMs: null, claims: null };
  }
  return ADMIN;
}

// REST sends the token with every request (a device: one per reading), and decoding it was ~1.5 %
// of the server's CPU. A credential depends only on the token and the policy, so it is kept per
// token string, bounded; one that has expired is decoded again (which refuses it). Refusals are
// not kept: strict mode reports each one.
const MAX_CACHED_CREDENTIALS = 10_000;
const credentialCache = new WeakMap<TokenPolicy, Map<string, Credential>>();

/** REST `auth=` / `access_token=` / `Authorization: Bearer` (docs/protocol.md §6). */
export function restCredential(token: string | null, policy: TokenPolicy, nowMs: number): Credential {
  if (token === null || token === '') return ANONYMOUS;
  if (token === 'owner') return ADMIN;
  let cache = credentialCache.get(policy);
  if (cache === undefined) credentialCache.set(policy, (cache = new Map()));
  const cached = cache.get(token);
  if (cached !== undefined && (cached.expiresAtMs === null || cached.expiresAtMs > nowMs)) return cached;
  cache.delete(token);
  const credential = decodeJwt(token) !== null ? userCredential(token, policy, nowMs) : ADMIN;
  // Map keeps insertion order: dropping the first entry drops the oldest.
  if (cache.size >= MAX_CACHED_CREDENTIALS) cache.delete(cache.keys().next().value as string);
  cache.set(token, credential);
  return credential;
}

export function authOf(identity: Identity): AuthVariable | null {
  return identity.kind === 'user' ? identity.auth : null;
}
