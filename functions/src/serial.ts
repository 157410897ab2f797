/**
 * Runs tasks with the same key one after another inside this process. Cloud Functions v2 hands
 * one instance many events at once (`concurrency`, default 80), and a backlog upload fires one
 * event per reading of the same device at the same moment: serialising per device keeps their
 * read-then-write steps from interleaving. Across instances the rules keep each write conditional
 * (writer.ts).
 */
export class KeyedSerializer {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Keys with a task queued or running (for tests). */
  get size(): number {
    return this.tails.size;
  }
}
