// Delivers matched events: one at a time per key (trigger + namespace + location) in
// commit order, many keys in parallel; retries with backoff only for `retry: true`
// (Cloud Functions "retrying event-driven functions": at-least-once only when enabled);
// stops runaway function-to-function chains.
import type { MatchedEvent } from './events.js';
import type { FunctionsLogs } from './logs.js';
import { InvocationFailure } from './worker-process.js';

export interface QueuedEvent {
  matched: MatchedEvent;
  /** Length of the function-write chain that produced this event (0 = an outside write). */
  depth: number;
  chain: CascadeChain;
  attempt: number;
  interruptions: number;
}

/** Visits per trigger+location along one inferred chain of function writes. */
export interface CascadeChain {
  visits: Map<string, number>;
}

export interface DispatcherOptions {
  invoke(event: QueuedEvent): Promise<void>;
  logs: FunctionsLogs;
  maxCascadeDepth: number;
  maxConcurrent: number;
  /** Retry backoff: base doubled per attempt up to the cap; attempts bounded for local runs. */
  retryBaseMs: number;
  retryMaxMs: number;
  maxAttempts: number;
  /** Delivery of the event ended: delivered, or given up (not called for events dropped at stop). */
  onDone?: (event: QueuedEvent) => void;
}

/** How often an invocation lost to someone else's crash or timeout is re-delivered. */
const MAX_INTERRUPTIONS = 3;
/** A chain under sustained admin load can grow without end; start a fresh one past this. */
const MAX_TRACKED_KEYS = 10_000;

export class Dispatcher {
  private readonly queues = new Map<string, QueuedEvent[]>();
  /** Keys with queued work and nothing in flight, FIFO. */
  private readonly ready: string[] = [];
  private readonly busy = new Set<string>();
  private readonly inFlight = new Set<QueuedEvent>();
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private idleWaiters: Array<() => void> = [];
  private running = 0;
  /** Events waiting in `queues` (kept as a count: `pending` is read after every delivery). */
  private queued = 0;
  private stopped = false;
  /**
   * `peakRunning`: most invocations in flight at once. `waitedForSlot`: events whose turn had
   * come (their key idle) while all `maxConcurrent` slots were taken: a count that keeps rising
   * means the functions fall behind the writes that trigger them.
   */
  readonly stats = { delivered: 0, failed: 0, retried: 0, runawayStopped: 0, dropped: 0, peakRunning: 0, waitedForSlot: 0 };
  /** When each ready key became ready (a rising count), and the last such count seen with every slot taken. */
  private readonly readySince = new Map<string, number>();
  private readyCount = 0;
  private lastReadyAtCap = 0;

  constructor(private readonly options: DispatcherOptions) {}

  /**
   * Queues the events of one committed write. Function writes come back as ordinary admin
   * writes (the commit carries no connection), so causality is inferred: an admin write
   * committed while invocations run continues the chain of the shallowest one running
   * (the minimum keeps unrelated load from stretching chains). A chain that reaches the
   * same trigger at the same location more than maxCascadeDepth times is a runaway.
   */
  enqueueWrite(events: readonly MatchedEvent[], byAdmin: boolean): void {
    if (this.stopped || events.length === 0) return;
    const parent = byAdmin ? this.shallowestInFlight() : null;
    const chain = parent && parent.chain.visits.size < MAX_TRACKED_KEYS ? parent.chain : { visits: new Map<string, number>() };
    const depth = parent ? parent.depth + 1 : 0;
    for (const matched of events) {
      const visits = (chain.visits.get(matched.key) ?? 0) + 1;
      if (visits > this.options.maxCascadeDepth) {
        this.stats.runawayStopped++;
        if (this.stats.runawayStopped === 1 || this.stats.runawayStopped % 100 === 0) {
          this.options.logs.runaway(matched.trigger.info.name, matched.event.ref, visits);
        }
        continue;
      }
      chain.visits.set(matched.key, visits);
      this.push({ matched, depth, chain, attempt: 1, interruptions: 0 }, false);
    }
    this.pump();
  }

  private shallowestInFlight(): QueuedEvent | null {
    let best: QueuedEvent | null = null;
    for (const event of this.inFlight) if (best === null || event.depth < best.depth) best = event;
    return best;
  }

  get pending(): number {
    return this.queued + this.running + this.retryTimers.size;
  }

  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Resolves when nothing is in flight (queued events are not started after stop()). */
  async drained(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.running > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  }

  /** Drops everything queued; in-flight invocations finish on their own. */
  stop(): void {
    this.stopped = true;
    for (const timer of this.retryTimers) clearTimeout(timer);
    this.retryTimers.clear();
    this.queues.clear();
    this.queued = 0;
    this.ready.length = 0;
    this.readySince.clear();
    this.busy.clear();
    this.checkIdle();
  }

  private push(event: QueuedEvent, front: boolean): void {
    const key = event.matched.key;
    let queue = this.queues.get(key);
    if (!queue) {
      queue = [];
      this.queues.set(key, queue);
      if (!this.busy.has(key)) this.makeReady(key, 'back');
    }
    if (front) queue.unshift(event);
    else queue.push(event);
    this.queued++;
  }

  private pump(): void {
    while (this.running < this.options.maxConcurrent && this.ready.length > 0) {
      const key = this.ready.shift() as string;
      const readyAt = this.readySince.get(key);
      this.readySince.delete(key);
      const queue = this.queues.get(key);
      const event = queue?.shift();
      if (!queue || !event) continue;
      this.queued--;
      if (queue.length === 0) this.queues.delete(key);
      this.busy.add(key);
      this.running++;
      this.stats.peakRunning = Math.max(this.stats.peakRunning, this.running);
      if (readyAt !== undefined && readyAt <= this.lastReadyAtCap) this.stats.waitedForSlot++;
      this.inFlight.add(event);
      const startedMs = performance.now();
      this.options.invoke(event).then(
        () => this.finish(event, null, performance.now() - startedMs),
        (err: unknown) => this.finish(event, err, performance.now() - startedMs),
      );
    }
    // Every key still ready now waits for a slot to free.
    if (this.ready.length > 0) this.lastReadyAtCap = this.readyCount;
    this.checkIdle();
  }

  private finish(event: QueuedEvent, err: unknown, durationMs: number): void {
    this.running--;
    this.inFlight.delete(event);
    const key = event.matched.key;
    const { name } = event.matched.trigger.info;
    const what = `${event.matched.trigger.info.kind} /${event.matched.event.ref}`;
    if (err === null) {
      this.stats.delivered++;
      this.options.logs.invoked(name, what, durationMs, event.attempt);
      this.options.onDone?.(event);
      this.release(key);
      return this.pump();
    }
    const failure = err instanceof InvocationFailure ? err : new InvocationFailure('error', String(err));
    if (this.stopped && failure.kind === 'interrupted') {
      // Shutting down: the worker was ended on purpose; nothing to report.
      this.stats.dropped++;
      return this.checkIdle();
    }
    if (failure.kind === 'timeout') this.options.logs.timedOut(name, what, event.matched.trigger.info.timeoutSeconds);
    const attempt = event.attempt;
    const retryInMs = this.stopped ? null : this.redeliver(event, failure);
    if (failure.kind !== 'interrupted' || retryInMs === null) {
      this.options.logs.failed(name, what, durationMs, attempt, failure.handlerStack ?? failure.message, retryInMs);
    }
    if (retryInMs === null) {
      this.stats.failed++;
      this.options.onDone?.(event);
      this.release(key);
    }
    // Otherwise the key stays busy: later events at this location wait (commit order).
    this.pump();
  }

  /** Schedules another delivery and returns its delay, or null when the event is given up. */
  private redeliver(event: QueuedEvent, failure: InvocationFailure): number | null {
    if (failure.kind === 'interrupted' && event.interruptions < MAX_INTERRUPTIONS) {
      event.interruptions++;
      this.push(event, true);
      this.queueReady(event.matched.key);
      return 0;
    }
    const { retry } = event.matched.trigger.info;
    if ((failure.kind === 'error' || failure.kind === 'timeout') && retry && event.attempt < this.options.maxAttempts) {
      const delayMs = this.retryDelayMs(event.attempt);
      event.attempt++;
      this.stats.retried++;
      const timer = setTimeout(() => {
        this.retryTimers.delete(timer);
        this.push(event, true);
        this.queueReady(event.matched.key);
        this.pump();
      }, delayMs);
      this.retryTimers.add(timer);
      return delayMs;
    }
    return null;
  }

  retryDelayMs(attempt: number): number {
    return Math.min(this.options.retryMaxMs, this.options.retryBaseMs * 2 ** (attempt - 1));
  }

  /** The key's in-flight slot frees: let its next event run. */
  private release(key: string): void {
    this.busy.delete(key);
    if (this.queues.has(key)) this.makeReady(key, 'back');
  }

  private queueReady(key: string): void {
    this.busy.delete(key);
    if (!this.ready.includes(key)) this.makeReady(key, 'front');
  }

  private makeReady(key: string, end: 'front' | 'back'): void {
    if (end === 'front') this.ready.unshift(key);
    else this.ready.push(key);
    // Every caller pumps next, and the pump's end marks the keys left waiting for a slot.
    this.readySince.set(key, ++this.readyCount);
  }

  private checkIdle(): void {
    if (this.pending !== 0 || this.idleWaiters.length === 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
