/**
 * A result shared by the calls that ask for it within a short time: the scheduled jobs of one tick
 * all start by listing the fleet, and where they run in one process (the local functions host)
 * one listing serves them all instead of each downloading the directory at the same instant.
 * A failed load is not kept, so the next call tries again.
 */
export class RecentResult<T> {
  private entry: { key: string; atMs: number; value: Promise<T> } | null = null;

  constructor(private readonly ttlMs: number) {}

  get(key: string, load: () => Promise<T>, nowMs = Date.now()): Promise<T> {
    const entry = this.entry;
    if (entry !== null && entry.key === key && nowMs - entry.atMs < this.ttlMs) return entry.value;
    const value = load();
    const fresh = { key, atMs: nowMs, value };
    this.entry = fresh;
    value.catch(() => {
      if (this.entry === fresh) this.entry = null;
    });
    return value;
  }
}
