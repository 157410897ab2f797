import { describe, expect, it } from 'vitest';
import { LatencyHistogram, emptyCounters, summaryLine } from './stats.js';

describe('LatencyHistogram', () => {
  it('gives exact millisecond percentiles', () => {
    const h = new LatencyHistogram();
    expect(h.percentile(0.5)).toBeNull();
    for (let ms = 1; ms <= 100; ms += 1) h.record(ms);
    expect(h.percentile(0.5)).toBe(50);
    expect(h.percentile(0.99)).toBe(99);
    expect(h.percentile(1)).toBe(100);
    h.record(250_000);
    expect(h.maxMs).toBe(250_000);
    expect(h.percentile(1)).toBe(60_000);
  });
});

describe('summaryLine', () => {
  it('reports rates per second over the interval', () => {
    const h = new LatencyHistogram();
    [10, 20, 30].forEach((ms) => h.record(ms));
    const delta = { ...emptyCounters(), sent: 400, acked: 398, stateUpdates: 390, errors: 2 };
    expect(summaryLine({ online: 199, devices: 200, intervalMs: 2_000, delta, window: h, queued: 5 })).toBe(
      'online 199/200 | readings/s sent 200 acked 199 | states/s 195 | latency p50 20 ms p99 30 ms | queued 5 | errors 2',
    );
  });
});
