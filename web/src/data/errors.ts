/** The dashboard's one error vocabulary for database and auth failures shown to people. */
export type Failure = 'permission-denied' | 'offline' | 'invalid' | 'auth' | 'unknown';

export function failureOf(err: unknown): Failure {
  const text = `${(err as { code?: string })?.code ?? ''} ${(err as Error)?.message ?? ''}`.toLowerCase();
  if (text.includes('permission') || text.includes('permission_denied')) return 'permission-denied';
  if (text.includes('network') || text.includes('offline') || text.includes('disconnect')) return 'offline';
  if (text.includes('auth/')) return 'auth';
  return 'unknown';
}

/** What a sign-in error means for the person typing (Firebase Auth error codes). */
export function signInMessage(err: unknown): string {
  const code = (err as { code?: string })?.code ?? '';
  switch (code) {
    case 'auth/invalid-credential':
    case 'auth/invalid-login-credentials':
    case 'auth/wrong-password':
    case 'auth/user-not-found':
      return 'Wrong e-mail or password.';
    case 'auth/invalid-email':
      return 'That is not a valid e-mail address.';
    case 'auth/too-many-requests':
      return 'Too many attempts; wait a minute and try again.';
    case 'auth/network-request-failed':
      return 'Cannot reach the sign-in service; check the connection (locally: is npm start running?).';
    default:
      return `Sign-in failed: ${(err as Error)?.message ?? String(err)}`;
  }
}

export function describeFailure(err: unknown): string {
  const failure = failureOf(err);
  if (failure === 'permission-denied') return 'Permission denied: the security rules refused this (you are not the owner of this device).';
  if (failure === 'offline') return 'Offline: the change is kept and sent when the connection returns.';
  return (err as Error)?.message ?? String(err);
}
