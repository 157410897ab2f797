import { describe, expect, it } from 'vitest';
import { CommandSchema } from '@firelink/model';
import { expiredCommandIds, expiredResult } from './commands.js';

describe('command expiry', () => {
  const now = 1_000_000;
  it('expires only unacknowledged commands older than the timeout', () => {
    const commands = {
      old: { type: 'reboot', createdAt: now - 60_000 },
      fresh: { type: 'reboot', createdAt: now - 59_999 },
      acked: { type: 'reboot', createdAt: now - 90_000, ackAt: now - 80_000, result: { status: 'ok' } },
      expired: { type: 'reboot', createdAt: now - 90_000, result: expiredResult(60_000) },
    };
    expect(expiredCommandIds(commands, now, 60_000)).toEqual(['old']);
    expect(expiredCommandIds(null, now, 60_000)).toEqual([]);
  });
  it('closes a command in a shape the model accepts', () => {
    const closed = { type: 'set-angle', args: { angle: 5 }, createdAt: 1, result: expiredResult(60_000) };
    expect(CommandSchema.safeParse(closed).success).toBe(true);
    expect(closed.result).toEqual({ status: 'expired', message: 'not acknowledged within 60000 ms' });
    // An expired command was never acked: the model refuses one with ackAt.
    expect(CommandSchema.safeParse({ ...closed, ackAt: 2 }).success).toBe(false);
  });
});
