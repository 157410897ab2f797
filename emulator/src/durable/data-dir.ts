// Durable mode (`--data-dir DIR`): every committed write is journaled before it is acknowledged;
// start-up loads the snapshot and replays the journal; the journal is compacted into a new
// snapshot in the background. The functions host's undelivered events live in the same journal,
// so a write and the events it fired become durable together. Layout and recovery rules:
// emulator/README.md, "Durable mode".
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CommittedWrite, PathSegments } from '../contracts.js';
import type { EmulatorCore } from '../core.js';
import type { Logs } from '../logs.js';
import { StartupError } from '../startup-error.js';
import { Journal, readJournal } from './journal.js';
import { writeSnapshotFile } from './snapshot-file.js';

/** A functions event kept until its delivery ends (success, or given up). */
export interface DurableEvent {
  readonly id: string;
  /** Trigger (export) name. */
  readonly name: string;
  /** Delivery-order key (trigger + namespace + location). */
  readonly key: string;
  readonly event: unknown;
}

/** What the functions host uses to keep its pending events across a crash. */
export interface FunctionsEventStore {
  /** Records the events of one write, inside its commit (same journal batch as the write). */
  recorded(events: readonly DurableEvent[]): void;
  /** The event's delivery ended: it is not delivered again after a restart. */
  delivered(id: string): void;
  /** Events recorded and not delivered before the last stop or crash (once; then empty). */
  takePending(): DurableEvent[];
  /** A fresh durable id. */
  nextId(): string;
}

type WriteRecord = { w: string; o: [PathSegments, unknown][]; t: number };
type EventsRecord = { e: DurableEvent[] };
type DeliveredRecord = { d: string[] };

interface Snapshot {
  format: 1;
  generation: number;
  namespaces: Record<string, unknown>;
  pendingEvents: DurableEvent[];
}

const SNAPSHOT = 'snapshot.json';
/** Holds the pid of the emulator using the directory: two writers would interleave journals. */
const LOCK = 'lock';
const JOURNAL = /^journal-(\d+)\.log$/;
const journalName = (generation: number): string => `journal-${generation}.log`;

export interface DataDirOptions {
  /** Journal size that starts a background compaction. */
  compactBytes: number;
  /** Acknowledge only after fdatasync (survives power loss, costs throughput). */
  fsync: boolean;
}

export class DataDir implements FunctionsEventStore {
  private readonly pending = new Map<string, DurableEvent>();
  private restored: DurableEvent[] = [];
  private compacting: Promise<void> | null = null;
  private unsubscribe: () => void = () => {};
  private idCounter = 0;
  private readonly bootId = Date.now().toString(36);
  /** Delivery marks wait for the next batch instead of costing a write each. */
  private deliveredBatch: string[] = [];
  /** After close() nothing more is journaled (late delivery marks are dropped). */
  private closed = false;

  private constructor(
    readonly dir: string,
    private readonly core: EmulatorCore,
    private readonly logs: Logs,
    private journal: Journal,
    private generation: number,
    private readonly options: DataDirOptions,
  ) {}

  /** Loads the directory into `core` (snapshot, then journal), then journals every commit. */
  static async open(dir: string, core: EmulatorCore, logs: Logs, options: DataDirOptions): Promise<DataDir> {
    try {
      mkdirSync(dir, { recursive: true });
      if (!statSync(dir).isDirectory()) throw new Error('not a directory');
    } catch (e) {
      throw new StartupError('data_dir', dir, `cannot use as data directory: ${(e as Error).message}`, 'pass a writable directory to --data-dir');
    }
    takeLock(dir);
    const startedMs = performance.now();
    let replayed = 0;
    let lastGen: number;
    const pending = new Map<string, DurableEvent>();
    let journal: Journal;
    try {
      const snapshot = readSnapshot(join(dir, SNAPSHOT));
      for (const event of snapshot?.pendingEvents ?? []) pending.set(event.id, event);
      for (const [ns, data] of Object.entries(snapshot?.namespaces ?? {})) applyWrite(core, ns, [[[], data]], 0);
      const generation = snapshot?.generation ?? 0;
      const journals = readdirSync(dir)
        .map((name) => ({ name, gen: Number(JOURNAL.exec(name)?.[1] ?? NaN) }))
        .filter((j) => Number.isInteger(j.gen))
        .sort((a, b) => a.gen - b.gen);
      lastGen = generation;
      for (const { name, gen } of journals) {
        const file = join(dir, name);
        // Older than the snapshot: already inside it (a compaction stopped before deleting it).
        if (gen < generation) {
          unlinkSync(file);
          continue;
        }
        lastGen = gen;
        const { records, droppedBytes } = readJournal(file);
        if (droppedBytes > 0) logs.journalTornRecord({ file, droppedBytes });
        for (const record of records) {
          replay(core, pending, record, file);
          replayed++;
        }
      }
      journal = Journal.open(join(dir, journalName(lastGen)), options, (e) => logs.journalFailed({ dir, error: e.message }));
    } catch (e) {
      releaseLock(dir);
      throw e;
    }
    const store = new DataDir(dir, core, logs, journal, lastGen, options);
    for (const [id, event] of pending) store.pending.set(id, event);
    store.restored = [...pending.values()];
    store.unsubscribe = core.onCommit((write) => store.committed(write));
    logs.dataDirLoaded({ dir, records: replayed, pendingEvents: pending.size, loadMs: Math.round(performance.now() - startedMs) });
    return store;
  }

  private committed(write: CommittedWrite): void {
    const ops: [PathSegments, unknown][] = write.paths.map((path) => {
      let view = write.after;
      for (const key of path) view = view.child(key);
      return [path, view.exportVal()];
    });
    this.append({ w: write.namespace, o: ops, t: write.timestampMs } satisfies WriteRecord);
  }

  private append(record: WriteRecord | EventsRecord | DeliveredRecord): void {
    if (this.closed) return;
    if (this.deliveredBatch.length > 0) {
      const d = this.deliveredBatch;
      this.deliveredBatch = [];
      this.journal.append({ d } satisfies DeliveredRecord);
    }
    this.journal.append(record);
    if (this.journal.bytes > this.options.compactBytes && this.compacting === null) {
      this.compacting = this.compact().finally(() => (this.compacting = null));
    }
  }

  /** Runs `fn` (an acknowledgement) once every write committed so far is on disk. */
  whenDurable(fn: () => void): void {
    this.journal.whenDurable(fn);
  }

  recorded(events: readonly DurableEvent[]): void {
    for (const event of events) this.pending.set(event.id, event);
    this.append({ e: [...events] } satisfies EventsRecord);
  }

  delivered(id: string): void {
    if (this.closed || !this.pending.delete(id)) return;
    this.deliveredBatch.push(id);
    if (this.deliveredBatch.length >= 256) this.append({ d: this.deliveredBatch.splice(0) } satisfies DeliveredRecord);
    else queueMicrotask(() => {
      if (this.deliveredBatch.length > 0 && !this.closed) this.journal.append({ d: this.deliveredBatch.splice(0) } satisfies DeliveredRecord);
    });
  }

  takePending(): DurableEvent[] {
    const out = this.restored;
    this.restored = [];
    return out;
  }

  nextId(): string {
    return `${this.bootId}-${++this.idCounter}`;
  }

  /**
   * Starts a new journal generation and writes the data as the new snapshot in the background,
   * in time slices (snapshot-file.ts: why a walk that sees later writes is still exact); the old
   * journal is deleted once the snapshot is safely renamed into place.
   */
  async compact(): Promise<void> {
    const next = this.generation + 1;
    const newJournal = Journal.open(join(this.dir, journalName(next)), this.options, (e) => this.logs.journalFailed({ dir: this.dir, error: e.message }));
    // From here to the swap nothing awaits: the old journal ends where the new one starts.
    const old = this.journal;
    if (this.deliveredBatch.length > 0) old.append({ d: this.deliveredBatch.splice(0) } satisfies DeliveredRecord);
    this.journal = newJournal;
    this.generation = next;
    const namespaces = [...this.core.namespaces].map(([name, ns]) => [name, ns.db.read([])] as const);
    const pendingEvents = [...this.pending.values()];
    const startedMs = performance.now();
    try {
      await old.close();
      const tmp = join(this.dir, `${SNAPSHOT}.tmp`);
      const snapshotBytes = await writeSnapshotFile(tmp, { format: 1, generation: next, namespaces, pendingEvents });
      renameSync(tmp, join(this.dir, SNAPSHOT));
      unlinkSync(old.file);
      this.logs.compacted({ dir: this.dir, generation: next, snapshotBytes, ms: Math.round(performance.now() - startedMs) });
    } catch (e) {
      // The old journal and snapshot stay valid: start-up replays both generations.
      this.logs.journalFailed({ dir: this.dir, error: `compaction failed: ${(e as Error).message}` });
    }
  }

  /** Stops journaling, waits for the disk, and compacts so the next start reads one snapshot. */
  async close(): Promise<void> {
    this.unsubscribe();
    if (this.compacting !== null) await this.compacting;
    if (this.journal.bytes > 0 || this.deliveredBatch.length > 0) await this.compact();
    this.closed = true;
    await this.journal.close();
    releaseLock(this.dir);
  }

  /** Stops without compacting (the journal stays as it is; benchmarks). */
  async closeWithoutCompaction(): Promise<void> {
    this.unsubscribe();
    this.closed = true;
    await this.journal.close();
    releaseLock(this.dir);
  }
}

/** Claims the directory for this process; a lock left by a dead process (a crash) is taken over. */
function takeLock(dir: string): void {
  const file = join(dir, LOCK);
  try {
    writeFileSync(file, String(process.pid), { flag: 'wx' });
    return;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new StartupError('data_dir', dir, `cannot create its lock file: ${(e as Error).message}`, 'pass a writable directory to --data-dir');
    }
  }
  const pid = Number(readFileSync(file, 'utf8'));
  if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && processAlive(pid)) {
    throw new StartupError('data_dir', dir, `is in use by another emulator (process ${pid})`, 'stop that emulator, or pass another --data-dir');
  }
  if (pid === process.pid) {
    throw new StartupError('data_dir', dir, 'is already open in this process', 'stop the other emulator using it first, or pass another --data-dir');
  }
  writeFileSync(file, String(process.pid));
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function releaseLock(dir: string): void {
  try {
    unlinkSync(join(dir, LOCK));
  } catch {
    // already gone
  }
}

function readSnapshot(file: string): Snapshot | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new StartupError('data_dir', file, `cannot read the snapshot: ${(e as Error).message}`, 'check the permissions of --data-dir');
  }
  let snapshot: Snapshot;
  try {
    snapshot = JSON.parse(text) as Snapshot;
  } catch (e) {
    // Snapshots are renamed into place only once complete, so this is not a torn write.
    throw new StartupError('data_dir', file, `the snapshot is not valid JSON (${(e as Error).message})`, 'restore it from a backup, or move the directory away to start empty');
  }
  if (snapshot.format !== 1 || !Number.isInteger(snapshot.generation) || typeof snapshot.namespaces !== 'object') {
    throw new StartupError('data_dir', file, 'not an rtdb-emulator snapshot (format 1)', 'point --data-dir at a directory this emulator wrote, or an empty one');
  }
  return snapshot;
}

function replay(core: EmulatorCore, pending: Map<string, DurableEvent>, record: unknown, file: string): void {
  const r = record as Partial<WriteRecord & EventsRecord & DeliveredRecord>;
  if (typeof r.w === 'string' && Array.isArray(r.o)) {
    try {
      applyWrite(core, r.w, r.o, r.t ?? 0);
    } catch (e) {
      throw new StartupError('data_dir', file, `a journaled write cannot be replayed: ${(e as Error).message}`, 'restore the directory from a backup');
    }
  } else if (Array.isArray(r.e)) for (const event of r.e) pending.set(event.id, event);
  else if (Array.isArray(r.d)) for (const id of r.d) pending.delete(id);
  else throw new StartupError('data_dir', file, `unknown journal record ${JSON.stringify(record).slice(0, 80)}`, 'restore the directory from a backup');
}

/** Applies a journaled write to the tree directly: no rules, triggers, listeners or journal. */
function applyWrite(core: EmulatorCore, namespace: string, ops: readonly [PathSegments, unknown][], nowMs: number): void {
  const db = core.namespace(namespace).db;
  const ctx = { nowMs };
  const write =
    ops.length === 1
      ? db.prepareSet(ops[0]![0], ops[0]![1], ctx)
      : db.prepareUpdate([], Object.fromEntries(ops.map(([path, value]) => [path.join('/'), value])), ctx);
  db.commit(write);
}
