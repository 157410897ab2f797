// Fleet figures: counters and a latency histogram with 1 ms buckets (exact percentiles to the
// millisecond, constant memory however many readings a long run sends).

const BUCKETS = 60_000;

export class LatencyHistogram {
  private readonly counts = new Uint32Array(BUCKETS + 1);
  count = 0;
  maxMs = 0;

  record(latencyMs: number): void {
    const ms = Math.max(0, Math.round(latencyMs));
    this.counts[Math.min(ms, BUCKETS)]! += 1;
    this.count += 1;
    if (ms > this.maxMs) this.maxMs = ms;
  }

  /** The smallest latency at or below which `fraction` of the samples fall; null when empty. */
  percentile(fraction: number): number | null {
    if (this.count === 0) return null;
    const rank = Math.max(1, Math.ceil(fraction * this.count));
    let seen = 0;
    for (let ms = 0; ms <= BUCKETS; ms += 1) {
      seen += this.counts[ms]!;
      if (seen >= rank) return ms;
    }
    return BUCKETS;
  }

  reset(): void {
    this.counts.fill(0);
    this.count = 0;
    this.maxMs = 0;
  }
}

export interface FleetCounters {
  sent: number;
  acked: number;
  stateUpdates: number;
  /** State updates naming a reading this process sent (the reading was mapped). */
  mapped: number;
  errors: number;
  errorsByCode: Record<string, number>;
}

export function emptyCounters(): FleetCounters {
  return { sent: 0, acked: 0, stateUpdates: 0, mapped: 0, errors: 0, errorsByCode: {} };
}

export interface SummaryInput {
  online: number;
  devices: number;
  intervalMs: number;
  delta: FleetCounters;
  window: LatencyHistogram;
  queued: number;
}

const perSecond = (n: number, ms: number) => (ms > 0 ? (n * 1000) / ms : 0);

/** The live summary line. */
export function summaryLine(s: SummaryInput): string {
  const rate = (n: number) => perSecond(n, s.intervalMs).toFixed(0);
  const p = (f: number) => {
    const v = s.window.percentile(f);
    return v === null ? '--' : String(v);
  };
  return (
    `online ${s.online}/${s.devices} | readings/s sent ${rate(s.delta.sent)} acked ${rate(s.delta.acked)} | ` +
    `states/s ${rate(s.delta.stateUpdates)} | latency p50 ${p(0.5)} ms p99 ${p(0.99)} ms | queued ${s.queued} | errors ${s.delta.errors}`
  );
}
