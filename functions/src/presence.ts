/**
 * Presence sweep, the pure half. SDK devices go offline through `onDisconnect`; REST devices (the
 * ESP32 firmware) cannot register one, so every device heartbeats `status.lastSeen` each
 * `heartbeatMs`, and a device silent for more than `missedHeartbeats` periods is marked offline.
 */
import { DEFAULT_CONFIG } from '@firelink/model';

export interface PresenceVerdict {
  offline: boolean;
  lastSeen: number;
  heartbeatMs: number;
  silentMs: number;
}

/** Whether a device whose status and heartbeat period are given should now be marked offline. */
export function presenceVerdict(
  status: unknown,
  heartbeatMs: unknown,
  nowMs: number,
  missedHeartbeats: number,
): PresenceVerdict | null {
  if (status === null || typeof status !== 'object') return null;
  const { online, lastSeen } = status as { online?: unknown; lastSeen?: unknown };
  if (online !== true || typeof lastSeen !== 'number') return null;
  const period =
    typeof heartbeatMs === 'number' && Number.isFinite(heartbeatMs) && heartbeatMs > 0
      ? heartbeatMs
      : DEFAULT_CONFIG.heartbeatMs;
  const silentMs = nowMs - lastSeen;
  return { offline: silentMs > missedHeartbeats * period, lastSeen, heartbeatMs: period, silentMs };
}
