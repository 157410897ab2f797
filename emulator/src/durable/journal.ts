// Append-only journal of one data directory: one JSON record per line, written with group
// commit (every record appended during one event-loop turn shares one write and one fdatasync).
// Acknowledgements wait in `whenDurable` until the records before them are on disk. Written by
// hand: no maintained npm package offers an fsync'd group-commit log for Node.
import { readFileSync, truncateSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
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

export class Journal {
  private buffer: string[] = [];
  private callbacks: (() => void)[] = [];
  private flushing = false;
  private scheduled = false;
  private closed = false;
  /** Bytes written to this journal file so far (drives compaction). */
  bytes = 0;
  private idleWaiters: (() => void)[] = [];

  private constructor(
    readonly file: string,
    private handle: FileHandle,
    private readonly onError: (error: Error) => void,
  ) {}

  static async open(file: string, onError: (error: Error) => void): Promise<Journal> {
    const handle = await open(file, 'a');
    const journal = new Journal(file, handle, onError);
    journal.bytes = (await handle.stat()).size;
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
    // setImmediate: every write handled in this turn of the event loop joins the batch.
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
        await this.handle.write(data);
        await this.handle.datasync();
        this.bytes += data.length;
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
    await this.handle.close();
  }
}

/** Writes `data` to `file` and fsyncs it (snapshots; the rename that follows makes it visible). */
export async function writeSyncedFile(file: string, data: string): Promise<void> {
  const handle = await open(file, 'w');
  try {
    await handle.writeFile(data, 'utf8');
    await handle.datasync();
  } finally {
    await handle.close();
  }
}
