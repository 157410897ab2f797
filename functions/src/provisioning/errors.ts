/** The provisioning module's error vocabulary (listed in docs/backend.md). */
export type ProvisionErrorCode =
  /** An argument is missing or malformed. */
  | 'invalid-argument'
  /** The device is already provisioned and `rotate` was not asked for. */
  | 'already-exists'
  /** `rotate` for a device that was never provisioned, or owned by someone else. */
  | 'failed-precondition'
  /** Refused to run against an unintended target (no emulator, not a demo project). */
  | 'unsafe-target';

export class ProvisionError extends Error {
  override readonly name = 'ProvisionError';

  constructor(
    readonly code: ProvisionErrorCode,
    message: string,
  ) {
    super(message);
  }
}
