/**
 * Retention of raw readings, the pure half. A reading is deleted when its server `ts` is older
 * than `maxAgeMs`, or when it is not among the `maxCount` newest. Unstamped readings (no `ts`
 * yet) are never deleted: their function has not run.
 */
export interface RetentionPolicy {
  maxAgeMs: number;
  maxCount: number;
}

/** Readings with `ts` at or before this are too old. */
export function ageCutoffMs(nowMs: number, policy: RetentionPolicy): number {
  return nowMs - policy.maxAgeMs;
}

/**
 * Given the `maxCount + 1` newest stamped readings in ascending (ts, key) order, the oldest one
 * to delete by count, or null when the device holds at most `maxCount`.
 */
export function countBoundary(
  newestAscending: readonly { id: string; ts: number }[],
  policy: RetentionPolicy,
): { id: string; ts: number } | null {
  if (newestAscending.length <= policy.maxCount) return null;
  return newestAscending[newestAscending.length - policy.maxCount - 1] ?? null;
}

/** The update at the readings node that deletes `ids` at once (null deletes a child). */
export function deletionUpdates(ids: readonly string[]): Record<string, null> {
  return Object.fromEntries(ids.map((id) => [id, null]));
}
