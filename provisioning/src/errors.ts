/**
 * The provisioning error vocabulary and its one exit-code table (the CLI's exit codes; listed in
 * provisioning/README.md). Messages say what, where and how to fix.
 */
export const PROVISION_EXIT_CODES = {
  ok: 0,
  /** A bug or an unexpected answer: the stack trace is printed. */
  internal: 1,
  /** An argument is missing or malformed. */
  'invalid-argument': 2,
  /** The device is already provisioned: exit 0 unless `--fail-if-exists` asked for a failure. */
  'already-exists': 3,
  /** `rotate` for a device that was never provisioned, or owned by someone else. */
  'failed-precondition': 4,
  /** Refused to run against an unintended target (a demo project outside the emulators, mixed targets). */
  'unsafe-target': 5,
  /** The Auth or database server (emulator or Google) did not answer. */
  unreachable: 6,
  /** Google refused the Application Default Credentials, or they are missing. */
  unauthenticated: 7,
} as const;

export type ProvisionErrorCode = Exclude<keyof typeof PROVISION_EXIT_CODES, 'ok'>;

export class ProvisionError extends Error {
  override readonly name = 'ProvisionError';

  constructor(
    readonly code: ProvisionErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
  }

  get exitCode(): number {
    return PROVISION_EXIT_CODES[this.code];
  }
}

export function isProvisionError(error: unknown, code?: ProvisionErrorCode): error is ProvisionError {
  return error instanceof ProvisionError && (code === undefined || error.code === code);
}

/** Firebase Admin SDK and network failures in the vocabulary; ProvisionErrors pass through. */
export function toProvisionError(error: unknown, deviceId: string): ProvisionError {
  if (error instanceof ProvisionError) return error;
  const code = String((error as { code?: unknown } | null)?.code ?? '');
  const message = error instanceof Error ? error.message : String(error);
  if (/ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|network|socket hang up/i.test(`${code} ${message}`)) {
    return new ProvisionError('unreachable', `provision ${deviceId}: cannot reach the Auth or database server (is the stack up? \`npm start\`): ${message}`, { cause: error });
  }
  if (/credential|unauthenticated|invalid_grant|permission|insufficient/i.test(`${code} ${message}`)) {
    return new ProvisionError('unauthenticated', `provision ${deviceId}: Google refused the credentials (run \`gcloud auth application-default login\` with an account that may administer the project): ${message}`, { cause: error });
  }
  return new ProvisionError('internal', `provision ${deviceId}: ${message}`, { cause: error });
}
