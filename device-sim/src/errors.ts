// One error vocabulary for the simulator: every failure a user can meet maps to one code and
// one process exit code (listed in docs/device-sim.md). Messages say what, where and how to fix.

export const EXIT_CODES = {
  ok: 0,
  internal: 1,
  'bad-config': 2,
  'bad-credentials': 3,
  /** The server refused the ID token (expired, revoked): refresh and retry; exits like bad credentials. */
  'token-rejected': 3,
  'not-owner': 4,
  'permission-denied': 5,
  unreachable: 6,
  'bad-request': 7,
  interrupted: 130,
} as const;

export type SimErrorCode = Exclude<keyof typeof EXIT_CODES, 'ok' | 'interrupted'>;

export class SimError extends Error {
  readonly code: SimErrorCode;
  /** Database path the failure concerns, when there is one. */
  readonly path: string | undefined;

  constructor(code: SimErrorCode, message: string, options?: { path?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SimError';
    this.code = code;
    this.path = options?.path;
  }

  get exitCode(): number {
    return EXIT_CODES[this.code];
  }
}

export function isSimError(error: unknown, code?: SimErrorCode): error is SimError {
  return error instanceof SimError && (code === undefined || error.code === code);
}

export function exitCodeOf(error: unknown): number {
  return error instanceof SimError ? error.exitCode : EXIT_CODES.internal;
}
