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
  }

  private schedule(): void {
    if (!this.running || this.paused) return;
    this.timer = this.options.clock.setTimeout(() => {
      this.sampleNow();
      this.schedule();
    }, this.options.sampleMs());
  }
}
