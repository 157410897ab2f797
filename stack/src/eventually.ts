// Waits for a condition instead of sleeping a fixed time: tests stay correct on a loaded machine.

export interface EventuallyOptions {
  /** Give up after this long (default 15 s). */
  timeoutMs?: number;
  /** Pause between attempts (default 50 ms). */
  intervalMs?: number;
}

/** Thrown by a check that can never succeed (the process it waits for has exited): stops at once. */
export class GiveUp extends Error {
  override readonly name = 'GiveUp';
}

/**
 * Calls `check` until it returns a value other than `undefined` (or `false`) without throwing, and
 * returns that value. After `timeoutMs` it throws, naming `what` and the last error.
 */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  options: EventuallyOptions | number = {},
): Promise<T> {
  const { timeoutMs = 15_000, intervalMs = 50 } = typeof options === 'number' ? { timeoutMs: options } : options;
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
      last = null;
    } catch (error) {
      if (error instanceof GiveUp) throw new Error(`gave up waiting for ${what}: ${error.message}`, { cause: error });
      last = error;
    }
    if (Date.now() >= deadline) {
      const why = last === null ? '' : `: ${last instanceof Error ? last.message : String(last)}`;
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${why}`, last === null ? undefined : { cause: last });
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
