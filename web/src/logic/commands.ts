/**
 * Commands: the form → a command checked with the model's CommandCreateSchema, and a stored
 * command → what the list shows (pending, acknowledged with its result, or expired).
 */
import { COMMAND_TYPES, CommandCreateSchema, validate, type CommandType } from '@firelink/model';
import { formatTime } from './format.js';

export interface CommandForm {
  type: string;
  /** set-angle: degrees; identify: duration in ms (optional); calibrate: 'min' | 'max'. */
  angle: string;
  durationMs: string;
  bound: string;
}

/** What an owner writes, without `createdAt` (server time, added by the data layer). */
export type CommandDraft = { type: CommandType; args?: Record<string, number | string> };
export type CommandCheck = { ok: true; draft: CommandDraft } | { ok: false; error: string };

const num = (text: string): number | undefined => (text.trim() === '' ? undefined : Number(text.trim()));

export function checkCommand(form: CommandForm, nowMs: number): CommandCheck {
  let args: Record<string, number | string | undefined> | undefined;
  if (form.type === 'set-angle') args = { angle: num(form.angle) };
  else if (form.type === 'calibrate') args = { bound: form.bound };
  else if (form.type === 'identify' && form.durationMs.trim() !== '') args = { durationMs: num(form.durationMs) };
  const candidate = { type: form.type, ...(args ? { args } : {}), createdAt: nowMs };
  const result = validate(CommandCreateSchema, candidate, 'command');
  if (!result.ok) return { ok: false, error: result.error.message };
  const { createdAt: _createdAt, ...draft } = result.value as CommandDraft & { createdAt: number };
  return { ok: true, draft };
}

export const COMMAND_LABELS: Record<CommandType, string> = {
  reboot: 'Reboot',
  calibrate: 'Calibrate (sample IR as a bound)',
  'set-angle': 'Set servo angle',
  identify: 'Identify (blink)',
  reconnect: 'Reconnect',
};
export { COMMAND_TYPES };

export type CommandPhase = 'pending' | 'ok' | 'error' | 'unsupported' | 'expired';

export interface CommandLine {
  id: string;
  phase: CommandPhase;
  /** e.g. `set-angle 90°`, `calibrate max`, `identify 3000 ms`. */
  what: string;
  sent: string;
  /** `acknowledged 06:01:02 UTC: ok, value 2048` / `expired: not acknowledged within 60000 ms` / `waiting for the device`. */
  outcome: string;
}

function describeArgs(command: { type: string; args?: Record<string, unknown> }): string {
  const a = command.args ?? {};
  if (command.type === 'set-angle') return `set-angle ${String(a.angle)}°`;
  if (command.type === 'calibrate') return `calibrate ${String(a.bound)}`;
  if (command.type === 'identify') return a.durationMs === undefined ? 'identify' : `identify ${String(a.durationMs)} ms`;
  return command.type;
}

/** A stored command as one list line; tolerant of partial data (a command is read as it arrives). */
export function commandLine(id: string, command: { type: string; createdAt?: number; ackAt?: number; args?: Record<string, unknown>; result?: { status: string; message?: string; value?: number } }): CommandLine {
  const result = command.result;
  const phase: CommandPhase = result === undefined ? 'pending' : (['ok', 'error', 'unsupported', 'expired'] as const).find((s) => s === result.status) ?? 'error';
  const details = [result?.message, result?.value !== undefined ? `value ${result.value}` : undefined].filter(Boolean).join(', ');
  let outcome: string;
  if (phase === 'pending') outcome = 'waiting for the device';
  else if (phase === 'expired') outcome = `expired${details ? `: ${details}` : ''}`;
  else outcome = `acknowledged ${formatTime(command.ackAt)}: ${phase}${details ? `, ${details}` : ''}`;
  return { id, phase, what: describeArgs(command), sent: formatTime(command.createdAt), outcome };
}
