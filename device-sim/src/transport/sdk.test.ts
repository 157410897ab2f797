import { describe, expect, it } from 'vitest';
import { SimError } from '../errors.js';
import { sdkError } from './sdk.js';

describe('sdkError', () => {
  it('maps SDK errors onto the simulator vocabulary', () => {
    const denied = Object.assign(new Error('PERMISSION_DENIED: Permission denied'), { code: 'PERMISSION_DENIED' });
    expect(sdkError(denied, 'devices/d2/status')).toMatchObject({ code: 'permission-denied', path: 'devices/d2/status' });
    expect(sdkError(Object.assign(new Error('x'), { code: 'auth/invalid-credential' })).code).toBe('bad-credentials');
    expect(sdkError(Object.assign(new Error('x'), { code: 'auth/network-request-failed' })).code).toBe('unreachable');
    expect(sdkError(new Error('Client is offline.')).code).toBe('unreachable');
    expect(sdkError(new Error('something else')).code).toBe('bad-request');
    const own = new SimError('not-owner', 'x');
    expect(sdkError(own)).toBe(own);
  });
});
