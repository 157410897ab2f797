import { describe, expect, it } from 'vitest';
import { monthlyCost, tieredUsd } from './cost.js';
import { plan, type PlanInput } from './plan.js';
import { AUTH_IDENTITY_PLATFORM_MAU_TIERS, PRICES } from './prices.js';
import { BYTES, SECONDS_PER_MONTH } from './assumptions.js';

const input: PlanInput = {
  devices: 1000,
  sampleMs: 1000,
  heartbeatMs: 30_000,
  transport: 'rest',
  watchersPerDevice: 0,
  headroom: 0.3,
  months: 12,
  zoneSize: 0,
  retentionRead: 'current',
  dbRttMs: 20,
};
const costInput = { functionMs: 100, concurrency: 80, owners: 0, auth: 'identity-platform' as const };
const line = (cost: ReturnType<typeof monthlyCost>, prefix: string) => cost.lines.find((l) => l.item.startsWith(prefix))!;

describe('tieredUsd: Identity Platform Tier 1, graduated', () => {
  it('prices each MAU at the tier it falls in', () => {
    const tiers = AUTH_IDENTITY_PLATFORM_MAU_TIERS;
    expect(tieredUsd(49_999, tiers)).toBe(0);
    // 120,000 MAU: 50,000 free + 50,000 * 0.0055 (275) + 20,000 * 0.0046 (92) = 367.
    expect(tieredUsd(120_000, tiers)).toBeCloseTo(367, 9);
    // 10,000,001 MAU: 275 + 900,000 * 0.0046 (4,140) + 9,000,000 * 0.0032 (28,800) + 1 * 0.0025.
    expect(tieredUsd(10_000_001, tiers)).toBeCloseTo(33_215.0025, 6);
  });
});

describe('monthlyCost: 1,000 devices at 1 s, hand-worked', () => {
  const p = plan(input);
  const cost = monthlyCost(p, costInput);

  it('invocations: 1 per reading, 1 per heartbeat, plus 5 schedules a minute', () => {
    // (1,000 + 1,000/30)/s = 1,033.33/s * 2,628,000 s (730 h) = 2,715,600,000, plus 5 * 43,800
    // runs = 219,000: 2,715.819 million; 2 million free -> 2,713.819 * $0.40 = $1,085.5276.
    expect(SECONDS_PER_MONTH).toBe(2_628_000);
    const l = line(cost, 'Function invocations');
    expect(l.usage).toBeCloseTo(2715.819, 6);
    expect(l.usd).toBeCloseTo(1085.5276, 4);
  });

  it('compute: trigger time shared by 80 requests, plus the scheduled passes', () => {
    // Triggers: 2.7156e9 * 0.1 s / 80 = 3,394,500 instance-seconds (onStatusWritten's 1/30 per
    // device and second included). Jobs: ceil(1000/16) = 63 batches * (1 + 3 + 4 + 1) round trips
    // * 0.02 s = 11.34 s a run * 43,800 runs = 496,692 s.
    // Total 3,891,192 s at 1 vCPU: (3,891,192 - 180,000) * $0.000024 = $89.068608;
    // at 256 MiB = 0.25 GiB: 972,798 GiB-s, (972,798 - 360,000) * $0.0000025 = $1.531995.
    expect(line(cost, 'Function CPU').usage).toBeCloseTo(3_891_192, 3);
    expect(line(cost, 'Function CPU').usd).toBeCloseTo(89.068608, 6);
    expect(line(cost, 'Function memory').usage).toBeCloseTo(972_798, 3);
    expect(line(cost, 'Function memory').usd).toBeCloseTo(1.531995, 7);
  });

  it('auth: 1,000 devices stay in the free tier; firebase auth has no MAU price', () => {
    expect(line(cost, 'Auth').usd).toBe(0);
    const many = monthlyCost(plan({ ...input, devices: 100_000 }), { ...costInput, owners: 20_000 });
    expect(line(many, 'Auth').usage).toBe(120_000);
    expect(line(many, 'Auth').usd).toBeCloseTo(367, 9);
    expect(line(monthlyCost(p, { ...costInput, auth: 'firebase' }), 'Auth').usd).toBe(0);
  });

  it('storage: kept readings plus 12 months of rollups, GB at $5 past the free GB', () => {
    // Per device: 10,000 readings (the count limit binds before 7 days at 1 s) * readingKeyed
    // + 12 * 43,800 minutes * rollupKeyed + the device's small documents.
    const perDevice =
      10_000 * BYTES.readingKeyed +
      12 * 43_800 * BYTES.rollupKeyed +
      (BYTES.state + BYTES.status + BYTES.config + BYTES.meta + BYTES.ownershipEntry + BYTES.directoryEntry);
    const l = line(cost, 'RTDB storage');
    expect(l.usage).toBeCloseTo((perDevice * 1000) / 1e9, 9);
    expect(l.usd).toBeCloseTo((l.usage - 1) * PRICES.rtdbStorageGbMonth.usd, 6);
  });

  it('download: bytes per second over the month, $1 a GB past 10 GB', () => {
    const l = line(cost, 'RTDB download');
    expect(l.usage).toBeCloseTo((p.perDevice.downloadBytesPerSecond.total * 1000 * 2_628_000) / 1e9, 6);
    expect(l.usd).toBeCloseTo(l.usage - 10, 6);
    expect(cost.totalUsd).toBeCloseTo(cost.lines.reduce((s, x) => s + x.usd, 0), 9);
  });

  it('the retention count query dominates the download at 1 s sampling', () => {
    // It reads min(10,001, 10,000 kept) = 10,000 keyed readings a minute: 10,000 * readingKeyed / 60
    // bytes/s, against at most a few hundred bytes/s for the device's own traffic.
    const down = p.perDevice.downloadBytesPerSecond;
    expect(down.retentionJob).toBeGreaterThan((10_000 * BYTES.readingKeyed) / 60);
    expect(down.retentionJob / down.total).toBeGreaterThan(0.9);
  });

  it('without the count query, retention downloads only the readings it deletes', () => {
    // fixed: 3 framed queries a run + each deleted reading once (1 a second) + the delete acks:
    // 3 * (65 + 29) / 60 + 120 + (1/60) * (44 + 29) = 4.7 + 120 + 1.2167 = 125.9167 bytes/s.
    const fixed = plan({ ...input, retentionRead: 'fixed' }).perDevice.downloadBytesPerSecond;
    expect(BYTES.wireMessage).toBe(65);
    expect(BYTES.wireAck).toBe(44);
    expect(fixed.retentionJob).toBeCloseTo(125.916_667, 5);
    // current adds 10,000 keyed readings a minute: 10,000 * 120 / 60 = 20,000 bytes/s more.
    expect(p.perDevice.downloadBytesPerSecond.retentionJob - fixed.retentionJob).toBeCloseTo(20_000, 6);
  });

  it('a scheduled run past its timeout is billed at the timeout', () => {
    // 1e6 devices: retention 5,000 s and rollups 3,750 s are billed as 300 s each; presence and
    // commands 62,500 * 0.02 = 1,250 s -> 300 s too: 4 * 300 = 1,200 s a run.
    const big = plan({ ...input, devices: 1_000_000, sampleMs: 3_600_000, heartbeatMs: 3_600_000 });
    const c = monthlyCost(big, { ...costInput, functionMs: 1, concurrency: 1000 });
    const triggers = (big.perDevice.invocationsPerSecond * 1_000_000 * 2_628_000 * 0.001) / 1000;
    expect(line(c, 'Function CPU').usage).toBeCloseTo(triggers + 1200 * 43_800, 3);
  });
});
