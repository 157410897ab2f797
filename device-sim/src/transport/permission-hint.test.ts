import { describe, expect, it } from 'vitest';
import { databaseError } from './rest.js';
import { sdkError } from './sdk.js';

const denied = Object.assign(new Error('PERMISSION_DENIED: Permission denied'), { code: 'PERMISSION_DENIED' });
const restDenied = (method: string, path: string) => databaseError(401, { error: 'Permission denied' }, method, path).message;

describe('the reason given for a permission denial comes from the path', () => {
  it('a device writing its own config is told config is owner-only, not that it left its node', () => {
    for (const message of [restDenied('PUT', 'devices/dev-1/config'), sdkError(denied, 'devices/dev-1/config/sampleMs').message]) {
      expect(message).toMatch(/config is written only by the device's owner/);
      expect(message).not.toMatch(/may only touch/);
    }
  });

  it.each([
    ['PUT', 'devices/dev-1/readings/-Nabc', /create-once.*seq above state\.seq/],
    ['PATCH', 'devices/dev-1/readings', /create-once/],
    ['PUT', 'devices/dev-1/state', /written only by the backend/],
    ['PUT', 'devices/dev-1/status', /status.*only by device dev-1 itself.*online, lastSeen, fw/],
    ['PATCH', 'devices/dev-1/commands/-C1', /ackAt and result together, once/],
    ['PUT', 'devices/dev-1/meta/owner', /meta is written at provisioning/],
    ['GET', 'devices/dev-1', /device node is read by its owner/],
    ['GET', 'users/alice', /users\/<uid> is readable only by that user/],
    ['GET', 'zones/z1', /zones.*owners of a device in the zone/],
    ['PUT', 'rollups/dev-1/x', /written only by the backend/],
    ['PUT', 'elsewhere/x', /nothing outside/],
  ])('%s /%s', (method, path, hint) => {
    expect(restDenied(method, path)).toMatch(hint);
  });
});
