// Sampling, as the firmware does it: every `sampleMs` one reading `{ir, temp, light, seq,
// deviceTs}` from the signal generator, under a new client push id, into the offline queue.
// `seq` continues above the state's seq read at start (the rules demand a rising seq).
import { statePath, type ReadingWrite } from '@firelink/model';
import type { Clock, TimerHandle } from '../clock.js';
import type { Transport } from '../transport/types.js';
import type { OfflineQueue } from './queue.js';
import { SeqCounter } from './seq.js';
import type { SignalGenerator } from './signal.js';

export interface SamplingOptions {
  deviceId: string;
  transport: Transport;
  queue: OfflineQueue<ReadingWrite>;
  signal: SignalGenerator;
  nextPushId: (nowMs: number) => string;
  clock: Clock;
  sampleMs(): number;
  /** A reading entered the queue. */
  onSample(reading: ReadingWrite, id: string): void;
  onError(error: unknown): void;
}

export class Sampling {
  private readonly seq = new SeqCounter();
  private timer: TimerHandle | null = null;
  /** When the pending reading is due (clock ms); null before the first after a (re)start. */
  private dueMs: number | null = null;
  private running = false;
  private paused = false;

  constructor(private readonly options: SamplingOptions) {
    // Readings left in the queue by an earlier run keep their seqs: continue above them.
    for (const item of options.queue.peek(options.queue.size)) this.seq.atLeast(item.value.seq);
  }

  /** Reads the state's seq (offline at start: the time-based floor of SeqCounter still rises). */
  async bootstrap(): Promise<void> {
    try {
      const seq = await this.options.transport.get(`${statePath(this.options.deviceId)}/seq`);
      if (typeof seq === 'number') this.seq.atLeast(seq);
    } catch (error) {
      this.options.onError(error);
    }
  }

  start(): void {
    this.running = true;
    this.schedule();
  }

  /** Stops taking readings for good (a drain before stopping). */
  pause(): void {
    this.paused = true;
    this.clear();
  }

  stop(): void {
    this.running = false;
    this.clear();
  }

  /** The period changed: apply it now rather than after the old one. */
  reschedule(): void {
    this.clear();
    this.schedule();
  }

  /** Takes one reading now. */
  sampleNow(): void {
    const { clock, queue, signal, nextPushId } = this.options;
    const nowMs = clock.nowMs();
    const sample = signal.sample(nowMs);
    const id = nextPushId(nowMs);
    const reading: ReadingWrite = { ir: sample.ir, temp: sample.temp, light: sample.light, seq: this.seq.next(nowMs), deviceTs: nowMs };
    queue.enqueue({ id, value: reading });
    this.options.onSample(reading, id);
  }

  private clear(): void {
    if (this.timer !== null) this.options.clock.clearTimeout(this.timer);
    this.timer = null;
    this.dueMs = null;
  }

  /**
   * Keeps the device's phase: each reading is due one period after the previous one was due, not
   * after it ran. Timed from when they ran, the devices of one process would fall into step: a
   * busy event loop fires every timer that came due meanwhile in one turn, and from then on those
   * devices would sample together, as real devices with their own clocks do not. Readings missed
   * while the loop was blocked for more than a period are skipped, not made up in a burst.
   */
  private schedule(): void {
    if (!this.running || this.paused) return;
    const { clock } = this.options;
    const periodMs = this.options.sampleMs();
    const nowMs = clock.nowMs();
    let dueMs = this.dueMs === null ? nowMs + periodMs : this.dueMs + periodMs;
    if (dueMs < nowMs) dueMs += (Math.floor((nowMs - dueMs) / periodMs) + 1) * periodMs;
    this.dueMs = dueMs;
    this.timer = clock.setTimeout(() => {
      this.sampleNow();
      this.schedule();
    }, dueMs - nowMs);
  }
}
