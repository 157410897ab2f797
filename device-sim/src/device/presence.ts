// Presence, as the firmware reports it: `status = {online, lastSeen: server time, fw}` at start,
// on every reconnect and every `heartbeatMs`, and `online: false` on a clean stop; where the
// transport can (the SDK), also an onDisconnect update so the server marks the device offline
// when its connection drops (https://firebase.google.com/docs/database/web/offline-capabilities).
import { statusPath } from '@firelink/model';
import type { Clock, TimerHandle } from '../clock.js';
import { isSimError } from '../errors.js';
import type { DeviceLogs } from '../logs.js';
import type { RandomSource } from '../random.js';
import { SERVER_TIMESTAMP, type Transport } from '../transport/types.js';

export interface PresenceOptions {
  deviceId: string;
  fw: string;
  transport: Transport;
  clock: Clock;
  logs: DeviceLogs;
  heartbeatMs(): number;
  /** Picks the first heartbeat's point in its period (randomPhase). */
  random: RandomSource;
  onError(error: unknown): void;
}

/**
 * A delay of `periodMs` times a random fraction: the first of a periodic task's runs lands at a
 * random point of its period, so devices that start together (a fleet, or a site after a power
 * cut) do not send in step for ever after, and the server sees an even load instead of a burst
 * every period.
 */
export function randomPhase(periodMs: number, random: RandomSource): number {
  return Math.floor(periodMs * random());
}

export class Presence {
  private timer: TimerHandle | null = null;
  private running = false;

  constructor(private readonly options: PresenceOptions) {}

  /** Registers the onDisconnect update, says "online" and starts the heartbeat. */
  async start(): Promise<void> {
    this.running = true;
    await this.announce();
    this.schedule(randomPhase(this.options.heartbeatMs(), this.options.random));
  }

  /** onDisconnect and "online" on the database the transport is on now (at start, after a shard move). */
  async announce(): Promise<void> {
    const { transport, deviceId } = this.options;
    await transport.onDisconnectUpdate(statusPath(deviceId), { online: false, lastSeen: SERVER_TIMESTAMP }).catch((error: unknown) => this.options.onError(error));
    await this.write(true);
  }

  /** The heartbeat period changed: apply it now rather than after the old (maybe hour-long) one. */
  reschedule(): void {
    if (this.timer !== null) this.options.clock.clearTimeout(this.timer);
    this.schedule();
  }

  /** Stops the heartbeat and says "offline" (best effort). */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer !== null) this.options.clock.clearTimeout(this.timer);
    this.timer = null;
    await this.write(false);
  }

  async write(online: boolean): Promise<void> {
    const path = statusPath(this.options.deviceId);
    try {
      await this.options.transport.set(path, { online, lastSeen: SERVER_TIMESTAMP, fw: this.options.fw });
    } catch (error) {
      this.options.onError(error);
      if (isSimError(error)) this.options.logs.writeFailed(path, error.message, error.code);
    }
  }

  private schedule(delayMs = this.options.heartbeatMs()): void {
    if (!this.running) return;
    this.timer = this.options.clock.setTimeout(() => {
      void this.write(true);
      this.schedule();
    }, delayMs);
  }
}
