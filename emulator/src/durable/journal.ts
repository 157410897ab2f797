// Append-only journal of one data directory: one JSON record per line, written with group
// commit (every record appended during one event-loop turn shares one write). Acknowledgements
// wait in `whenDurable` until the records before them are written to the file, which a crash of
// this process (kill -9, out of memory) cannot undo; with `fsync` they also wait for
// fdatasync (survives power loss), else the file is fdatasync'd in the background every
// BACKGROUND_SYNC_MS. Written by hand: no maintained npm package offers a group-commit log.
import { closeSync, fdatasync, fstatSync, openSync, readFileSync, truncateSync, writeSync } from 'node:fs';
import { StartupError } from '../startup-error.js';

export interface JournalReadResult {
  readonly records: unknown[];
  /** Bytes of a torn last record that were dropped (0 when the file ended cleanly). */
  readonly droppedBytes: number;
}

/**
 * Reads every complete record. A last line that is cut short or does not parse (the process
 * died mid-write) is dropped and cut from the file; a bad line before the last is corruption.
 */
export function readJournal(file: string): JournalReadResult {
  let text: Buffer;
  try {
    text = readFileSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { records: [], droppedBytes: 0 };
    throw new StartupError('data_dir', file, `cannot read the journal: ${(e as Error).message}`, 'check the permissions of --data-dir');
  }
  const records: unknown[] = [];
  let start = 0;
  let line = 1;
  while (start < text.length) {
    const end = text.indexOf(0x0a, start);
    const last = end < 0 || end === text.length - 1;
    const slice = text.subarray(start, end < 0 ? text.length : end);
    let record: unknown;
    let ok = end >= 0;
    if (ok) {
      try {
        record = JSON.parse(slice.toString('utf8')) as unknown;
      } catch {
        ok = false;
      }
    }
    if (!ok) {
      if (!last) {
        throw new StartupError('data_dir', file, `journal record ${line} is corrupt (not JSON) and is not the last one`, 'restore the directory from a backup, or move the journal away to start from the snapshot');
      }
      truncateSync(file, start);
      return { records, droppedBytes: text.length - start };
    }
    records.push(record);
    start = end + 1;
    line++;
  }
  return { records, droppedBytes: 0 };
}

/** Without `fsync`, how often written records are pushed to the disk in the background. */
const BACKGROUND_SYNC_MS = 1_000;

export class Journal {
  private buffer: string[] = [];
  private dirty = false;
  private syncTimer: NodeJS.Timeout | null = null;
  private callbacks: (() => void)[] = [];
  private flushing = false;
  private scheduled = false;
  private closed = false;
  /** Bytes written to this journal file so far (drives compaction). */
  bytes = 0;
  private idleWaiters: (() => void)[] = [];

  private constructor(
    readonly file: string,
    private readonly fd: number,
    private readonly fsync: boolean,
    private readonly onError: (error: Error) => void,
  ) {}

  static open(file: string, options: { fsync: boolean }, onError: (error: Error) => void): Journal {
    const fd = openSync(file, 'a');
    const journal = new Journal(file, fd, options.fsync, onError);
    journal.bytes = fstatSync(fd).size;
    return journal;
  }

  /** Appends one record; it is on disk before any `whenDurable` callback registered after it runs. */
  append(record: unknown): void {
    if (this.closed) throw new Error(`journal ${this.file} is closed`);
    this.buffer.push(JSON.stringify(record) + '\n');
    this.schedule();
  }

  /** Runs `fn` once every record appended so far is on disk (at once when nothing is pending). */
  whenDurable(fn: () => void): void {
    if (!this.flushing && this.buffer.length === 0) return fn();
    this.callbacks.push(fn);
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled || this.flushing) return;
    this.scheduled = true;
    // setImmediate: every write of this event-loop turn (each REST request is its own callback)
    // shares one write syscall and, with fsync, one fdatasync. Flushing per callback
    // (nextTick) cost the server one syscall per REST write, ~5 % of its CPU at 1,000/s.
    setImmediate(() => void this.flush());
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    if (this.buffer.length === 0 && this.callbacks.length === 0) return this.wakeIdle();
    this.flushing = true;
    const lines = this.buffer;
    const callbacks = this.callbacks;
    this.buffer = [];
    this.callbacks = [];
    try {
      if (lines.length > 0) {
        const data = Buffer.from(lines.join(''), 'utf8');
        // One synchronous write per batch: in the page cache once it returns, so a crash of
        // this process keeps it; a thread-pool round trip would only add latency here.
        for (let off = 0; off < data.length; ) off += writeSync(this.fd, data, off);
        this.bytes += data.length;
        if (this.fsync) await this.datasync();
        else this.syncLater();
      }
    } catch (e) {
      // Cannot undo the commit in memory: say loudly that these acknowledgements are not durable.
      this.onError(e as Error);
    }
    this.flushing = false;
    for (const fn of callbacks) fn();
    if (this.buffer.length > 0 || this.callbacks.length > 0) this.schedule();
    else this.wakeIdle();
  }

  private datasync(): Promise<void> {
    return new Promise((resolve, reject) => fdatasync(this.fd, (e) => (e ? reject(e) : resolve())));
  }

  private syncLater(): void {
    this.dirty = true;
    if (this.syncTimer !== null) return;
    this.syncTimer = setTimeout(() => {
      this.syncTimer = null;
      if (!this.dirty || this.closed) return;
      this.dirty = false;
      fdatasync(this.fd, (e) => {
        if (e) this.onError(e);
      });
    }, BACKGROUND_SYNC_MS);
    this.syncTimer.unref();
  }

  private wakeIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  /** Resolves once everything appended so far is on disk. */
  settled(): Promise<void> {
    if (!this.flushing && !this.scheduled && this.buffer.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  async close(): Promise<void> {
    await this.settled();
    this.closed = true;
    if (this.syncTimer !== null) clearTimeout(this.syncTimer);
    if (this.dirty) await this.datasync().catch((e: Error) => this.onError(e));
    closeSync(this.fd);
  }
}
