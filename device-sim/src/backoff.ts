// Bounded exponential backoff with full jitter (the shape of sindresorhus/p-retry
// and the AWS "Exponential Backoff And Jitter" article): delay = random(0, min(max, base*2^n)).
import type { RandomSource } from './random.js';

export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  random: RandomSource;
}

export class Backoff {
  private failures = 0;
  constructor(private readonly options: BackoffOptions) {}

  /** Delay before the next attempt after one more failure. */
  nextDelayMs(): number {
    const ceilingMs = Math.min(this.options.maxMs, this.options.baseMs * 2 ** Math.min(this.failures, 30));
    this.failures += 1;
    // Never zero: a tight loop against a dead server helps nobody.
    return Math.max(this.options.baseMs / 2, Math.round(this.options.random() * ceilingMs));
  }

  get attempts(): number {
    return this.failures;
  }

  reset(): void {
    this.failures = 0;
  }
}
