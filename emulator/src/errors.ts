// The emulator's error vocabulary: one code per wire status, each with its HTTP status.
// Codes sent on the socket are lower-case like RTDB's (`permission_denied`, `datastale`);
// the SDK upper-cases them into `error.code` (core/Repo.ts repoCallOnCompleteCallback).

export type ErrorCode =
  | 'invalid_data' // malformed JSON, invalid key, unknown server value, bad priority
  | 'invalid_path'
  | 'invalid_query'
  | 'invalid_request' // unknown action, malformed frame, bad method
  | 'too_big' // over a size or depth limit
  | 'permission_denied'
  | 'invalid_token'
  | 'expired_token'
  | 'datastale' // transaction hash mismatch
  | 'precondition_failed' // REST if-match mismatch
  | 'not_found';

const HTTP_STATUS: Record<ErrorCode, number> = {
  invalid_data: 400,
  invalid_path: 400,
  invalid_query: 400,
  invalid_request: 400,
  too_big: 413,
  permission_denied: 401,
  invalid_token: 401,
  expired_token: 401,
  datastale: 409,
  precondition_failed: 412,
  not_found: 404,
};

export class RtdbError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'RtdbError';
  }

  get httpStatus(): number {
    return HTTP_STATUS[this.code];
  }
}

/** Exact strings clients look for (docs/protocol.md §4, §12). */
export const PERMISSION_DENIED = 'Permission denied';
export const BAD_TOKEN = 'Could not parse auth token.';
export const EXPIRED_TOKEN = 'Auth token is expired.';
export const HASH_MISMATCH = 'transaction hash does not match';

export function permissionDenied(): RtdbError {
  return new RtdbError('permission_denied', PERMISSION_DENIED);
}
