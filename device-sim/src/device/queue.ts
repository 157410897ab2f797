// Durable, bounded offline queue of readings. Every reading enters the queue with its
// client-generated push id before it is sent and leaves only when the server acknowledged it,
// so a network cut, an emulator restart or a process restart loses nothing, and a resend lands
// on the same key. Persistence is a JSON file replaced atomically (write temp + rename, POSIX
// rename(2) is atomic within a file system); writes are coalesced so a fleet does not turn every
// reading into a disk write.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface QueuedItem<T> {
  /** Push id: the key the item is written under. */
  id: string;
  value: T;
}

export interface QueueStore<T> {
  load(): Promise<QueuedItem<T>[]>;
  save(items: readonly QueuedItem<T>[]): Promise<void>;
}

export interface QueueEvents {
  /** Oldest items dropped because the bound was reached (the only way items are ever lost). */
  onDrop(droppedIds: readonly string[], maxItems: number): void;
  onPersistError(error: unknown): void;
}

const FILE_VERSION = 1;

export class FileQueueStore<T> implements QueueStore<T> {
  constructor(
    private readonly filePath: string,
    private readonly onCorrupt: (movedTo: string, error: unknown) => void = () => {},
  ) {}

  async load(): Promise<QueuedItem<T>[]> {
    let text: string;
    try {
      text = await readFile(this.filePath, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    try {
      const parsed = JSON.parse(text) as { version?: unknown; items?: unknown };
      if (parsed.version !== FILE_VERSION || !Array.isArray(parsed.items)) throw new Error('unexpected shape');
      return parsed.items as QueuedItem<T>[];
    } catch (error) {
      // Keep the unreadable file for inspection rather than overwrite it.
      const movedTo = `${this.filePath}.corrupt-${Date.now()}`;
      await rename(this.filePath, movedTo);
      this.onCorrupt(movedTo, error);
      return [];
    }
  }

  async save(items: readonly QueuedItem<T>[]): Promise<void> {
    await mkdir(dirname(this.filePath), { recursive: true });
    const temp = `${this.filePath}.${process.pid}.tmp`;
    await writeFile(temp, JSON.stringify({ version: FILE_VERSION, items }));
    await rename(temp, this.filePath);
  }
}

export class MemoryQueueStore<T> implements QueueStore<T> {
  items: QueuedItem<T>[] = [];
  saves = 0;
  async load(): Promise<QueuedItem<T>[]> {
    return [...this.items];
  }
  async save(items: readonly QueuedItem<T>[]): Promise<void> {
    this.saves += 1;
    this.items = [...items];
  }
}

export interface QueueOptions<T> {
  store: QueueStore<T>;
  maxItems: number;
  /** Coalescing window for disk writes; 0 writes after every change (still one at a time). */
  persistDelayMs: number;
  events: QueueEvents;
  setTimer?: (fn: () => void, ms: number) => unknown;
}

export class OfflineQueue<T> {
  private items: QueuedItem<T>[] = [];
  private readonly ids = new Set<string>();
  private dirty = false;
  private timerArmed = false;
  private saving: Promise<void> | null = null;

  private constructor(private readonly options: QueueOptions<T>) {}

  static async open<T>(options: QueueOptions<T>): Promise<OfflineQueue<T>> {
    const queue = new OfflineQueue(options);
    for (const item of await options.store.load()) queue.insert(item);
    return queue;
  }

  get size(): number {
    return this.items.length;
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  /** Adds an item; past the bound the oldest items are dropped and reported. */
  enqueue(item: QueuedItem<T>): void {
    this.insert(item);
    this.changed();
  }

  /** Oldest first, without removing. */
  peek(limit: number): QueuedItem<T>[] {
    return this.items.slice(0, limit);
  }

  /** The server has the item: forget it. */
  ack(id: string): void {
    if (!this.ids.delete(id)) return;
    this.items = this.items.filter((item) => item.id !== id);
    this.changed();
  }

  /** Writes pending changes now; resolves when the file holds the current items. */
  async flush(): Promise<void> {
    if (this.saving) await this.saving;
    if (this.dirty && !(await this.persist())) {
      throw new Error('could not write the offline queue file (see the previous error)');
    }
  }

  private insert(item: QueuedItem<T>): void {
    if (this.ids.has(item.id)) return;
    this.items.push(item);
    this.ids.add(item.id);
    const excess = this.items.length - this.options.maxItems;
    if (excess > 0) {
      const dropped = this.items.splice(0, excess).map((d) => d.id);
      for (const id of dropped) this.ids.delete(id);
      this.options.events.onDrop(dropped, this.options.maxItems);
    }
  }

  private changed(): void {
    this.dirty = true;
    if (this.timerArmed) return;
    this.timerArmed = true;
    const setTimer = this.options.setTimer ?? ((fn, ms) => setTimeout(fn, ms).unref());
    setTimer(() => {
      this.timerArmed = false;
      // flush() may have written everything since the timer was armed.
      if (!this.saving && this.dirty) void this.persist();
    }, this.options.persistDelayMs);
  }

  private async persist(): Promise<boolean> {
    this.dirty = false;
    let ok = true;
    this.saving = this.options.store.save([...this.items]).catch((error: unknown) => {
      ok = false;
      this.dirty = true;
      this.options.events.onPersistError(error);
    });
    await this.saving;
    this.saving = null;
    if (this.dirty && !this.timerArmed) this.changed();
    return ok;
  }
}
