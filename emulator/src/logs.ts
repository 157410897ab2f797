// Every log line the database server writes, as named functions with structured fields.
// Lines are `rtdb-emulator: <event> key=value ...` so they grep well and stay one line.

export type LogSink = (line: string) => void;

// stderr is usually a pipe, and Node writes pipes synchronously: one syscall per line cost the
// server ~5 % of its CPU at 1,000 readings/s (the functions host logs three lines per reading).
// Lines queued in one event-loop turn leave in one write; the exit hook keeps the last ones.
const MAX_PENDING_LINES = 512;
let pending: string[] = [];
let exitHooked = false;

/** Writes the lines stderrSink has queued now (anything else written to stderr keeps its order). */
export function flushStderr(): void {
  if (pending.length === 0) return;
  const text = pending.join('');
  pending = [];
  process.stderr.write(text);
}

export const stderrSink: LogSink = (line) => {
  if (pending.length === 0) {
    setImmediate(flushStderr);
    if (!exitHooked) {
      exitHooked = true;
      process.on('exit', flushStderr);
    }
  }
  pending.push(line + '\n');
  if (pending.length >= MAX_PENDING_LINES) flushStderr();
};

function fmt(event: string, fields: Record<string, unknown>): string {
  const parts = Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${typeof v === 'string' && !/\s/.test(v) ? v : JSON.stringify(v)}`);
  return ['rtdb-emulator:', event, ...parts].join(' ');
}

export class Logs {
  constructor(private readonly sink: LogSink) {}

  ready(url: string, startMs: number): void {
    this.sink(fmt('ready', { url, startupMs: startMs }));
  }

  connectionError(fields: { transport: string; ns?: string; remote?: string; error: string }): void {
    this.sink(fmt('connection-error', fields));
  }

  badRequest(fields: { transport: string; ns: string; action?: string; error: string }): void {
    this.sink(fmt('bad-request', fields));
  }

  rulesLoaded(fields: { ns: string; source: string }): void {
    this.sink(fmt('rules-loaded', fields));
  }

  rulesRejected(fields: { ns?: string; source: string; error: string }): void {
    this.sink(fmt('rules-rejected', fields));
  }

  indexWarning(fields: { ns: string; path: string; index: string }): void {
    this.sink(fmt('index-not-defined', { ...fields, note: 'results are still correct; add .indexOn for production' }));
  }

  importDone(fields: { ns: string; file: string }): void {
    this.sink(fmt('import', fields));
  }

  exportDone(fields: { file: string; namespaces: number }): void {
    this.sink(fmt('export', fields));
  }

  functionsError(error: string): void {
    this.sink(fmt('functions-error', { error }));
  }

  slowConsumerDropped(fields: { transport: string; ns: string; remote?: string; bufferedBytes: number; limitBytes: number }): void {
    this.sink(fmt('slow-consumer-dropped', { ...fields, note: 'the client did not read fast enough; it was disconnected and may reconnect' }));
  }

  tokenRefused(fields: { reason: string }): void {
    this.sink(fmt('token-refused', { ...fields, note: 'strict token mode; signatures are not checked' }));
  }

  tokenExpired(fields: { ns: string; uid: string | null }): void {
    this.sink(fmt('token-expired', fields));
  }

  dataDirLoaded(fields: { dir: string; records: number; pendingEvents: number; loadMs: number }): void {
    this.sink(fmt('data-dir-loaded', fields));
  }

  journalTornRecord(fields: { file: string; droppedBytes: number }): void {
    this.sink(fmt('journal-torn-record', { ...fields, note: 'the last record was cut short by a crash and was dropped; it had not been acknowledged' }));
  }

  journalFailed(fields: { dir: string; error: string }): void {
    this.sink(fmt('journal-failed', { ...fields, note: 'writes since the last good flush are NOT durable' }));
  }

  compacted(fields: { dir: string; generation: number; snapshotBytes: number; ms: number }): void {
    this.sink(fmt('journal-compacted', fields));
  }

  stopped(): void {
    this.sink(fmt('stopped', {}));
  }
}
