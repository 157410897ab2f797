/**
 * Presence written as the device: `status = {online, lastSeen: server time, fw}` on connect, every
 * heartbeat period while connected (so the backend's presence sweep, functions/src/presence.ts,
 * never takes a live MQTT device for silent), and `online: false` when the session ends — by the
 * device's last will, a DISCONNECT, a dead keep-alive or the token's expiry.
 *
 * Writes for one device run in order on this instance (a reconnect's `online: true` must not be
 * overtaken by the old connection's `online: false`).
 */
import { statusPath } from '@firelink/model';
import { SERVER_TIMESTAMP, type DeviceWriter, type WriteOutcome } from './device-writer.js';

/** The firmware version written when a device never said which it runs (status requires one). */
export const UNKNOWN_FW = 'unknown';

export interface PresenceUpdate {
  deviceId: string;
  token: string;
  online: boolean;
  /** Known firmware version; without one the stored version is kept. */
  fw?: string | undefined;
  rssi?: number | undefined;
  /** The device's shard (session.instance); absent: the writer's default instance. */
  instance?: string | undefined;
}

export class Presence {
  private readonly chains = new Map<string, Promise<unknown>>();

  constructor(private readonly writer: DeviceWriter) {}

  write(update: PresenceUpdate): Promise<WriteOutcome> {
    const previous = this.chains.get(update.deviceId) ?? Promise.resolve();
    const next = previous.then(() => this.writeNow(update));
    this.chains.set(update.deviceId, next);
    void next.finally(() => {
      if (this.chains.get(update.deviceId) === next) this.chains.delete(update.deviceId);
    });
    return next;
  }

  private async writeNow({ deviceId, token, online, fw, rssi, instance }: PresenceUpdate): Promise<WriteOutcome> {
    const path = statusPath(deviceId);
    if (fw !== undefined) {
      return this.writer.put(path, { online, lastSeen: SERVER_TIMESTAMP, fw, ...(rssi !== undefined ? { rssi } : {}) }, token, instance);
    }
    // Keep the stored fw (and rssi); the rules refuse the merge when there is no status yet.
    const merged = await this.writer.patch(path, { online, lastSeen: SERVER_TIMESTAMP }, token, instance);
    if (merged.ok || merged.kind !== 'denied') return merged;
    return this.writer.put(path, { online, lastSeen: SERVER_TIMESTAMP, fw: UNKNOWN_FW }, token, instance);
  }

  /** Resolves once every presence write issued so far has settled. */
  async idle(): Promise<void> {
    while (this.chains.size > 0) await Promise.allSettled([...this.chains.values()]);
  }
}
