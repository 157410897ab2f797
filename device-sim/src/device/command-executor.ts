// Runs the device's commands: each unacked command once, oldest first (commands.ts decides the
// outcome), acknowledged with ONE update `{ackAt, result}` (the rules accept `ackAt` only with
// `result`, database.rules.json `commands/$commandId`); the effect goes back to the device.
import { commandPath } from '@firelink/model';
import { isSimError } from '../errors.js';
import type { DeviceLogs } from '../logs.js';
import { SERVER_TIMESTAMP, type Json, type Transport } from '../transport/types.js';
import { executeCommand, pendingCommands, type CommandEffect } from './commands.js';

export interface CommandExecutorOptions {
  deviceId: string;
  transport: Transport;
  logs: DeviceLogs;
  /** The IR value a `calibrate` reports (a fresh sample). */
  sampleIr(): number;
  onEffect(effect: CommandEffect): void;
  onError(error: unknown): void;
}

export class CommandExecutor {
  private readonly handled = new Set<string>();

  constructor(private readonly options: CommandExecutorOptions) {}

  /** Executes the pending commands of a `commands` snapshot. */
  async apply(value: Json): Promise<void> {
    const { deviceId, transport, logs } = this.options;
    for (const [commandId, raw] of pendingCommands(value)) {
      if (this.handled.has(commandId)) continue;
      this.handled.add(commandId);
      const outcome = executeCommand(raw, () => this.options.sampleIr());
      try {
        await transport.update(commandPath(deviceId, commandId), { ackAt: SERVER_TIMESTAMP, result: outcome.result });
        logs.commandAcked(commandId, outcome.type, outcome.result.status);
      } catch (error) {
        // Only a network failure is worth another try (at the next change of `commands`); an ack
        // the rules refuse stays refused, and retrying it at every change would loop.
        if (isSimError(error, 'unreachable') || isSimError(error, 'token-rejected')) this.handled.delete(commandId);
        this.options.onError(error);
        logs.commandAckFailed(commandId, error instanceof Error ? error.message : String(error));
        continue;
      }
      this.options.onEffect(outcome.effect);
    }
  }
}
