import { describe, expect, it } from 'vitest';
import { isPermissionDenied } from './writer.js';

describe('isPermissionDenied', () => {
  it("recognises the server's refusal in the Admin SDK's error shapes", () => {
    expect(isPermissionDenied(new Error('PERMISSION_DENIED: Permission denied'))).toBe(true);
    expect(isPermissionDenied({ code: 'PERMISSION_DENIED', message: 'x' })).toBe(true);
    expect(isPermissionDenied(new Error('permission_denied at /devices/d1/state'))).toBe(true);
  });
  it('does not mistake other failures for a refusal', () => {
    expect(isPermissionDenied(new Error('Client is offline.'))).toBe(false);
    expect(isPermissionDenied(undefined)).toBe(false);
    expect(isPermissionDenied('boom')).toBe(false);
  });
});
