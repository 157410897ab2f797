import { describe, expect, it } from 'vitest';
import { ADMIN, ANONYMOUS, restCredential, type TokenPolicy } from './auth.js';
import { RtdbError } from './errors.js';

function token(claims: Record<string, unknown>): string {
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`;
}

describe('restCredential', () => {
  it('decodes a token once and returns the same credential for it again', () => {
    const policy: TokenPolicy = { strictTokens: false, tokenMaxAgeSeconds: null };
    const t = token({ sub: 'device-a', device: 'a' });
    const first = restCredential(t, policy, 0);
    expect(first.identity).toEqual({ kind: 'user', auth: { uid: 'device-a', provider: 'custom', token: { sub: 'device-a', device: 'a' } } });
    expect(restCredential(t, policy, 1)).toBe(first);
    expect(restCredential(token({ sub: 'device-b' }), policy, 1)).not.toBe(first);
    expect(restCredential('owner', policy, 0)).toBe(ADMIN);
    expect(restCredential('not-a-jwt', policy, 0)).toBe(ADMIN);
    expect(restCredential(null, policy, 0)).toBe(ANONYMOUS);
  });

  it('strict mode: a kept credential is refused once its token has expired', () => {
    const refused: string[] = [];
    const policy: TokenPolicy = { strictTokens: true, tokenMaxAgeSeconds: null, onRefused: (r) => refused.push(r) };
    const t = token({ sub: 'u', exp: 100 });
    expect(restCredential(t, policy, 50_000).expiresAtMs).toBe(100_000);
    expect(() => restCredential(t, policy, 100_000)).toThrow(RtdbError);
    expect(() => restCredential(t, policy, 200_000)).toThrow(/expired/i);
    // Refusals are reported every time, not kept.
    const bad = token({ sub: 'u' });
    expect(() => restCredential(bad, policy, 0)).toThrow(RtdbError);
    expect(() => restCredential(bad, policy, 0)).toThrow(RtdbError);
    expect(refused).toHaveLength(2);
  });
});
