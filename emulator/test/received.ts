// What a test client has received so far, and a way to wait for a matching item: shared by the
// raw WebSocket and SSE clients.
export class Received<T> {
  readonly items: T[] = [];
  private waiters: (() => void)[] = [];

  push(item: T): void {
    this.items.push(item);
    this.waiters.splice(0).forEach((wake) => wake());
  }

  /** Wakes waiters without a new item (the stream ended), so they re-check. */
  wake(): void {
    this.waiters.splice(0).forEach((wake) => wake());
  }

  /** The first item from index `from` on that matches, waiting at most `timeoutMs`. */
  next(pred: (item: T) => boolean, from: number, timeoutMs: number, noMatch: () => string): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(noMatch())), timeoutMs);
      const check = (): void => {
        const found = this.items.slice(from).find(pred);
        if (found !== undefined) {
          clearTimeout(timer);
          resolve(found);
        } else this.waiters.push(check);
      };
      check();
    });
  }
}
