import { describe, expect, it } from 'vitest';
import { checkCommand, commandLine } from './commands.js';

const now = Date.UTC(2026, 11, 2, 6, 0, 0);
const form = { type: 'reboot', angle: '', durationMs: '', bound: 'min' };

describe('command form', () => {
  it('builds each command type the model accepts', () => {
    expect(checkCommand(form, now)).toEqual({ ok: true, draft: { type: 'reboot' } });
    expect(checkCommand({ ...form, type: 'set-angle', angle: '90' }, now)).toEqual({ ok: true, draft: { type: 'set-angle', args: { angle: 90 } } });
    expect(checkCommand({ ...form, type: 'calibrate', bound: 'max' }, now)).toEqual({ ok: true, draft: { type: 'calibrate', args: { bound: 'max' } } });
    expect(checkCommand({ ...form, type: 'identify' }, now)).toEqual({ ok: true, draft: { type: 'identify' } });
    expect(checkCommand({ ...form, type: 'identify', durationMs: '3000' }, now)).toEqual({ ok: true, draft: { type: 'identify', args: { durationMs: 3000 } } });
  });
  it('refuses bad arguments with the model message', () => {
    expect(checkCommand({ ...form, type: 'set-angle', angle: '200' }, now)).toEqual({ ok: false, error: 'command.args.angle: must be an integer between 0 and 180 degrees (got 200)' });
    expect(checkCommand({ ...form, type: 'set-angle' }, now)).toEqual({ ok: false, error: 'command.args.angle: is required and must be an integer between 0 and 180 degrees' });
    const bad = checkCommand({ ...form, type: 'dance' }, now);
    expect(!bad.ok && bad.error).toMatch(/^command\.type: must be one of reboot, calibrate, set-angle, identify/);
  });
});

describe('command list line', () => {
  it('shows pending, acknowledged and expired commands', () => {
    expect(commandLine('c1', { type: 'set-angle', args: { angle: 45 }, createdAt: now })).toEqual({
      id: 'c1', phase: 'pending', what: 'set-angle 45°', sent: '2026-12-02 06:00:00 UTC', outcome: 'waiting for the device',
    });
    expect(commandLine('c2', { type: 'calibrate', args: { bound: 'max' }, createdAt: now, ackAt: now + 1000, result: { status: 'ok', value: 2048 } }).outcome)
      .toBe('acknowledged 2026-12-02 06:00:01 UTC: ok, value 2048');
    const expired = commandLine('c3', { type: 'reboot', createdAt: now, result: { status: 'expired', message: 'not acknowledged within 60000 ms' } });
    expect(expired.phase).toBe('expired');
    expect(expired.outcome).toBe('expired: not acknowledged within 60000 ms');
    expect(commandLine('c4', { type: 'identify', createdAt: now, ackAt: now, result: { status: 'unsupported' } }).phase).toBe('unsupported');
  });
});
