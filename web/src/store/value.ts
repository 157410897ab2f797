/** A value that tells its subscribers when it changes: the store's one primitive. */
export class Value<T> {
  private readonly listeners = new Set<(value: T) => void>();

  constructor(private current: T) {}

  get(): T {
    return this.current;
  }

  set(next: T): void {
    if (Object.is(next, this.current)) return;
    this.current = next;
    for (const listener of [...this.listeners]) listener(next);
  }

  update(fn: (current: T) => T): void {
    this.set(fn(this.current));
  }

  /** Calls `listener` now and on every change; returns the unsubscribe function. */
  subscribe(listener: (value: T) => void): () => void {
    this.listeners.add(listener);
    listener(this.current);
    return () => this.listeners.delete(listener);
  }
}

/** Runs `fn` once per animation frame at most (or on a timer where there are no frames). */
export type Scheduler = (fn: () => void) => void;
export const frameScheduler: Scheduler = (fn) => {
  if (typeof requestAnimationFrame === 'function' && typeof document !== 'undefined' && !document.hidden) requestAnimationFrame(() => fn());
  else setTimeout(fn, 16);
};
