/**
 * Command lifecycle, the pure half. A command is pending until the device writes `ackAt` and
 * `result`. One still pending `timeoutMs` after `createdAt` is expired: it gets the model's
 * `expired` result and no `ackAt`, which the rules read as closed (a device can no longer ack it).
 */
import type { StoredCommandResult } from '@firelink/model';

export function expiredResult(timeoutMs: number): StoredCommandResult {
  return { status: 'expired', message: `not acknowledged within ${timeoutMs} ms` };
}

/** Ids of the commands (as stored under `commands`) that are pending past the timeout. */
export function expiredCommandIds(commands: Record<string, unknown> | null, nowMs: number, timeoutMs: number): string[] {
  const ids: string[] = [];
  for (const [id, value] of Object.entries(commands ?? {})) {
    if (value === null || typeof value !== 'object') continue;
    const { createdAt, ackAt, result } = value as Record<string, unknown>;
    if (ackAt !== undefined || result !== undefined || typeof createdAt !== 'number') continue;
    if (nowMs - createdAt >= timeoutMs) ids.push(id);
  }
  return ids.sort();
}
