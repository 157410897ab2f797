// Drains the offline queue into `readings/<pushId>`, oldest first. A reading leaves the queue
// only once the server acknowledged it. Network failures back off with jitter and retry the same
// keys. The rules allow a reading to be created once (`!data.exists()`) and only with a seq above
// the state's, so a replay of a reading the server already stored is refused with "permission
// denied". The sender then reads the reading back: stored with the same seq means the ack was
// lost (our retry, or the SDK's own resend after a reconnect), not an error.
import { readingPath, type ReadingWrite } from '@firelink/model';
import { Backoff } from '../backoff.js';
import type { Clock, TimerHandle } from '../clock.js';
import { SimError, isSimError } from '../errors.js';
import type { DeviceLogs } from '../logs.js';
import type { OfflineQueue } from './queue.js';
import type { Transport } from '../transport/types.js';

export interface SenderMetrics {
  sent(count: number): void;
  acked(readingId: string, writeStartedMs: number): void;
  error(error: SimError): void;
}

export interface SenderOptions {
  deviceId: string;
  transport: Transport;
  queue: OfflineQueue<ReadingWrite>;
  clock: Clock;
  backoff: Backoff;
  logs: DeviceLogs;
  metrics: SenderMetrics;
  /** Writes in flight at once. 1 keeps REST writes in seq order (the rules demand increasing seq). */
  window: number;
  onOnlineChange(online: boolean, reason?: string): void;
  /** A write of this reading starts now (latency is measured from here to its state). */
  onWriteStarted?(readingId: string, nowMs: number): void;
  /** Ids found in the queue file at start: they may have reached the server before a restart. */
  maybeSent?: readonly string[];
}

export class ReadingSender {
  private readonly inFlight = new Set<string>();
  private readonly idleWaiters = new Set<() => void>();
  /** Ids written at least once whose outcome may have reached the server. */
  private readonly attempted = new Set<string>();
  private retryTimer: TimerHandle | null = null;
  private stopped = false;
  private backlogMode = false;
  private backlogCount = 0;

  constructor(private readonly options: SenderOptions) {
    for (const id of options.maybeSent ?? []) this.attempted.add(id);
    // Readings left from an earlier run are a backlog too: say when they are all sent.
    this.backlogMode = this.attempted.size > 0;
  }

  get waitingForRetry(): boolean {
    return this.retryTimer !== null;
  }

  /** Send what can be sent now. Call after every enqueue. */
  pump(): void {
    if (this.stopped || this.retryTimer !== null) return;
    const { queue, window } = this.options;
    for (const item of queue.peek(window + this.inFlight.size)) {
      if (this.inFlight.size >= window) break;
      if (this.inFlight.has(item.id)) continue;
      void this.send(item.id, item.value);
    }
  }

  /** Skip the backoff wait (the transport saw the server again). */
  retryNow(): void {
    if (this.retryTimer === null) return;
    this.options.clock.clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.pump();
  }

  stop(): void {
    this.stopped = true;
    if (this.retryTimer !== null) this.options.clock.clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  /** Resolves when nothing is in flight (for a clean stop), or after `timeoutMs` on the clock. */
  idle(timeoutMs: number): Promise<void> {
    if (this.inFlight.size === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = this.options.clock.setTimeout(finish, timeoutMs);
      const waiter = () => finish();
      this.idleWaiters.add(waiter);
      const self = this;
      function finish() {
        self.options.clock.clearTimeout(timer);
        self.idleWaiters.delete(waiter);
        resolve();
      }
    });
  }

  private settled(id: string): void {
    this.inFlight.delete(id);
    if (this.inFlight.size === 0) for (const waiter of [...this.idleWaiters]) waiter();
  }

  private async send(id: string, reading: ReadingWrite): Promise<void> {
    const { transport, clock, metrics, logs } = this.options;
    this.inFlight.add(id);
    const startedMs = clock.nowMs();
    const replay = this.attempted.has(id);
    this.attempted.add(id);
    metrics.sent(1);
    this.options.onWriteStarted?.(id, startedMs);
    try {
      await transport.set(readingPath(this.options.deviceId, id), reading);
      this.done(id);
      metrics.acked(id, startedMs);
      this.succeeded();
    } catch (error) {
      const simError = isSimError(error) ? error : new SimError('internal', String(error), { cause: error });
      if (isSimError(simError, 'permission-denied') && (await this.alreadyStored(id, reading, replay))) {
        // Stored by an earlier attempt whose answer was lost (our retry or the SDK's own resend
        // after a reconnect, PersistentConnection.ts restoreState_): acknowledged after all.
        this.done(id);
        metrics.acked(id, startedMs);
        logs.readingReplayed(id);
        this.succeeded();
      } else if (isSimError(simError, 'permission-denied') || isSimError(simError, 'bad-request')) {
        // Retrying cannot help: keep the reading in the log (never silently lost) and move on.
        this.done(id);
        metrics.error(simError);
        logs.readingRejected(id, reading, simError.message);
        this.succeeded();
      } else {
        this.settled(id);
        metrics.error(simError);
        this.failed(simError);
        return;
      }
    }
  }

  /**
   * After the create-once rule refused `readings/<id>`: is that reading ours, stored already?
   * Read it back (a device may read its own single readings): the same `seq` means yes. When the
   * read finds nothing or fails, only a replay of our own earlier attempt counts as stored (the
   * retention job may have removed it since); any other refusal is a real rejection.
   */
  private async alreadyStored(id: string, reading: ReadingWrite, replay: boolean): Promise<boolean> {
    try {
      const stored = await this.options.transport.get(readingPath(this.options.deviceId, id));
      if (stored !== null && typeof stored === 'object' && !Array.isArray(stored)) return stored.seq === reading.seq;
      return replay;
    } catch {
      return replay;
    }
  }

  private done(id: string): void {
    this.settled(id);
    this.attempted.delete(id);
    this.options.queue.ack(id);
    if (this.backlogMode) this.backlogCount += 1;
  }

  private succeeded(): void {
    this.options.backoff.reset();
    this.options.onOnlineChange(true);
    if (this.backlogMode && this.options.queue.size === 0) {
      this.options.logs.backlogSent(this.backlogCount);
      this.backlogMode = false;
      this.backlogCount = 0;
    }
    this.pump();
  }

  private failed(error: SimError): void {
    if (this.stopped) return;
    this.backlogMode = true;
    this.options.onOnlineChange(false, error.message);
    if (this.retryTimer !== null) return;
    this.retryTimer = this.options.clock.setTimeout(() => {
      this.retryTimer = null;
      this.pump();
    }, this.options.backoff.nextDelayMs());
  }
}
