// What the simulated device does for each command type of the model (`COMMAND_TYPES`), as a
// pure function: the device loop applies the effect and writes `{ackAt, result}` in one update
// (the rules require both keys together, database.rules.json `commands/$commandId`).
import { COMMAND_TYPES, CommandSchema, validate, type CommandResult } from '@firelink/model';

export type CommandEffect =
  | { kind: 'none' }
  | { kind: 'reboot' }
  | { kind: 'set-angle'; angle: number }
  | { kind: 'identify'; durationMs: number }
  | { kind: 'reconnect' };

export interface CommandOutcome {
  type: string;
  result: CommandResult;
  effect: CommandEffect;
}

const DEFAULT_IDENTIFY_MS = 5_000;

/** Unacked commands of a `commands` snapshot, oldest first (push ids sort by time). */
export function pendingCommands(commands: unknown): [string, unknown][] {
  if (!commands || typeof commands !== 'object') return [];
  return Object.entries(commands as Record<string, unknown>)
    .filter(([, c]) => c && typeof c === 'object' && !('ackAt' in c) && !('result' in c))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

export function executeCommand(raw: unknown, sampleIr: () => number): CommandOutcome {
  const type = raw && typeof raw === 'object' && 'type' in raw ? String((raw as { type: unknown }).type) : '(none)';
  const parsed = validate(CommandSchema, raw, 'command');
  if (!parsed.ok) {
    const unknownType = !(COMMAND_TYPES as readonly string[]).includes(type);
    return {
      type,
      result: { status: unknownType ? 'unsupported' : 'error', message: parsed.error.message.slice(0, 128) },
      effect: { kind: 'none' },
    };
  }
  const command = parsed.value;
  switch (command.type) {
    case 'reboot':
      return { type, result: { status: 'ok', message: 'rebooting' }, effect: { kind: 'reboot' } };
    case 'calibrate': {
      const ir = sampleIr();
      return { type, result: { status: 'ok', message: `sampled ir for ${command.args.bound === 'min' ? 'inMin' : 'inMax'}`, value: ir }, effect: { kind: 'none' } };
    }
    case 'set-angle':
      return { type, result: { status: 'ok', message: `servo at ${command.args.angle} deg` }, effect: { kind: 'set-angle', angle: command.args.angle } };
    case 'reconnect':
      // Acked here, on the old shard, before the device moves (docs/scaling.md, step 6).
      return { type, result: { status: 'ok', message: 'reconnecting to the shard of the directory' }, effect: { kind: 'reconnect' } };
    case 'identify': {
      const durationMs = command.args?.durationMs ?? DEFAULT_IDENTIFY_MS;
      return { type, result: { status: 'ok', message: `identifying for ${durationMs} ms` }, effect: { kind: 'identify', durationMs } };
    }
  }
}
