/**
 * One MQTT connection of an authenticated device: its identity (the ID token the gateway writes
 * with), its timers and its refusal count. Lives in memory only as long as the connection: all
 * durable state is in RTDB, so a device may reconnect to any gateway instance.
 */
import type { Client } from 'aedes';
import type { DeviceIdentity } from './auth.js';

export interface Session {
  readonly client: Client;
  readonly deviceId: string;
  readonly uid: string;
  token: string;
  expiresAtMs: number;
  /** The device's shard, from the directory at connect and after a `reconnect` command. */
  instance: string;
  /** Firmware version from the device's status publishes or its last will. */
  fw: string | undefined;
  /** Times of recent refused publishes and subscriptions (abuse control). */
  strikes: number[];
  expiryTimer: NodeJS.Timeout | undefined;
  heartbeatTimer: NodeJS.Timeout | undefined;
  heartbeatMs: number;
  /** Set once `online: false` was written or is being written, so the session's end writes it once. */
  offlineWritten: boolean;
  ended: boolean;
}

export function newSession(client: Client, identity: DeviceIdentity, fw: string | undefined, heartbeatMs: number, instance: string): Session {
  return {
    instance,
    client,
    deviceId: identity.deviceId,
    uid: identity.uid,
    token: identity.token,
    expiresAtMs: identity.expiresAtMs,
    fw,
    strikes: [],
    expiryTimer: undefined,
    heartbeatTimer: undefined,
    heartbeatMs,
    offlineWritten: false,
    ended: false,
  };
}

/** Records a strike at `nowMs`; returns how many fall within the window. */
export function strike(session: Session, nowMs: number, windowMs: number): number {
  session.strikes.push(nowMs);
  while (session.strikes.length > 0 && (session.strikes[0] ?? 0) <= nowMs - windowMs) session.strikes.shift();
  return session.strikes.length;
}
