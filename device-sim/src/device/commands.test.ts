import { describe, expect, it } from 'vitest';
import { executeCommand, pendingCommands } from './commands.js';

describe('commands', () => {
  it('lists unacked commands oldest first', () => {
    expect(
      pendingCommands({
        '-B': { type: 'reboot', createdAt: 2 },
        '-A': { type: 'identify', createdAt: 1 },
        '-C': { type: 'reboot', createdAt: 3, ackAt: 4, result: { status: 'ok' } },
      }).map(([id]) => id),
    ).toEqual(['-A', '-B']);
    expect(pendingCommands(null)).toEqual([]);
  });

  it('executes each command type of the model', () => {
    expect(executeCommand({ type: 'calibrate', args: { bound: 'max' }, createdAt: 1 }, () => 3210)).toEqual({
      type: 'calibrate',
      result: { status: 'ok', message: 'sampled ir for inMax', value: 3210 },
      effect: { kind: 'none' },
    });
    expect(executeCommand({ type: 'set-angle', args: { angle: 45 }, createdAt: 1 }, () => 0).effect).toEqual({ kind: 'set-angle', angle: 45 });
    expect(executeCommand({ type: 'identify', createdAt: 1 }, () => 0).effect).toEqual({ kind: 'identify', durationMs: 5_000 });
    expect(executeCommand({ type: 'reboot', createdAt: 1 }, () => 0).effect).toEqual({ kind: 'reboot' });
    expect(executeCommand({ type: 'reconnect', createdAt: 1 }, () => 0)).toMatchObject({ result: { status: 'ok' }, effect: { kind: 'reconnect' } });
  });

  it('answers unknown types as unsupported and bad arguments as errors', () => {
    expect(executeCommand({ type: 'selfdestruct', createdAt: 1 }, () => 0).result.status).toBe('unsupported');
    const bad = executeCommand({ type: 'set-angle', args: { angle: 500 }, createdAt: 1 }, () => 0);
    expect(bad.result.status).toBe('error');
    expect(bad.result.message).toMatch(/angle/);
    expect(bad.result.message!.length).toBeLessThanOrEqual(128);
  });
});
