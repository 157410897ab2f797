import { describe, expect, it } from 'vitest';
import { plan, type PlanInput } from './plan.js';
import { BYTES } from './assumptions.js';

const base: PlanInput = {
  devices: 100_000,
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

const check = (p: ReturnType<typeof plan>, name: string) => p.checks.find((c) => c.name === name)!;

describe('plan: hand-worked examples', () => {
  it('100,000 devices at 1 s / 30 s over REST, 30 % headroom: bound by writes', () => {
    // Per device: 2 + 1/30 + 1/60 + 1/60 = 2.066667 writes/s (model budget), so the fleet makes
    // 206,666.7 writes/s. Usable per instance: 1000 * 0.7 = 700 -> 206,666.7 / 700 = 295.24 -> 296.
    // Without headroom: 206,666.7 / 1000 = 206.67 -> 207. Devices per instance: 100,000 / 296 = 337.8 -> 338.
    const p = plan(base);
    expect(check(p, 'writesPerSecond').fleetTotal).toBeCloseTo(206_666.667, 2);
    expect(check(p, 'writesPerSecond').instancesNeeded).toBe(296);
    expect(p.instances).toBe(296);
    expect(p.binding).toBe('writesPerSecond');
    expect(p.instancesWithoutHeadroom).toBe(207);
    expect(p.devicesPerInstance).toBe(338);
    // Per instance at 296: 206,666.7 / 296 = 698.2 writes/s = 69.8 % of 1000.
    expect(check(p, 'writesPerSecond').perInstance).toBeCloseTo(698.198, 2);
    // Connections: 3 streams a device = 300,000; usable 140,000 -> 2.14 -> 3 instances.
    expect(check(p, 'connections').fleetTotal).toBe(300_000);
    expect(check(p, 'connections').instancesNeeded).toBe(3);
    // Invocations: 2 per reading = 200,000/s, plus 5 schedules a minute = 0.0833/s.
    expect(p.invocationsPerSecond).toBeCloseTo(200_000.0833, 3);
  });

  it('event bytes: the created reading plus the state before and after, per reading', () => {
    // readingWrite {"ir":2048,"temp":21.5,"light":1234,"seq":176465000,"deviceTs":1764650000083} = 77 bytes,
    // state {"angle":90,...,"ts":1764650000123} = 142 bytes: 77 + 2 * 142 = 361 bytes a reading.
    expect(BYTES.readingWrite).toBe(77);
    expect(BYTES.state).toBe(142);
    const p = plan(base);
    expect(p.perDevice.eventBytesPerSecond).toBe(361);
    // 100,000 devices: 36.1 MB/s against 7 MB/s usable -> 5.16 -> 6 instances.
    expect(check(p, 'eventBytesPerSecond').instancesNeeded).toBe(6);
  });

  it('1,000 slow SDK devices fit one instance without headroom', () => {
    // S = 10 s, H = 60 s: 2/10 + 1/60 + 1/60 (rollup) + ceil(6/500)/60 (retention) = 0.25 writes/s;
    // 1,000 devices -> 250 writes/s, 25 % of one instance. One WebSocket each: 1,000 connections.
    const p = plan({ ...base, devices: 1000, sampleMs: 10_000, heartbeatMs: 60_000, transport: 'sdk', headroom: 0 });
    expect(p.perDevice.writesPerSecond.total).toBeCloseTo(0.25, 12);
    expect(p.instances).toBe(1);
    expect(check(p, 'writesPerSecond').utilization).toBeCloseTo(0.25, 12);
    expect(check(p, 'connections').fleetTotal).toBe(1000);
  });

  it('a million hourly REST devices are bound by connections, and the jobs cannot keep up', () => {
    // S = H = 3600 s: readings 1/3600 + function 1/3600 + heartbeat 1/3600 + rollup min(1/60, 1/3600)
    // + retention 1/3600 (one reading per run) = 5/3600 writes/s; 1e6 devices -> 1,388.9/s -> 2 instances.
    // Connections: 3 streams * 1e6 = 3e6 / 200,000 = 15 instances: the binding limit.
    const p = plan({ ...base, devices: 1_000_000, sampleMs: 3_600_000, heartbeatMs: 3_600_000, headroom: 0 });
    expect(p.perDevice.writesPerSecond.total).toBeCloseTo(5 / 3600, 12);
    expect(check(p, 'writesPerSecond').instancesNeeded).toBe(2);
    expect(check(p, 'connections').instancesNeeded).toBe(15);
    expect(p.binding).toBe('connections');
    expect(p.instances).toBe(15);
    // Responses per device: 5/3600 acks + 1/3600 state push + 4/3600 function reads + 8/60 job
    // reads = 10/3600 + 8/60 = 0.136111; 1e6 devices -> 136,111/s -> 2 instances.
    expect(p.perDevice.responsesPerSecond).toBeCloseTo(10 / 3600 + 8 / 60, 12);
    expect(check(p, 'responsesPerSecond').instancesNeeded).toBe(2);
    // Retention pass: ceil(1e6 / 16) = 62,500 batches * 4 round trips * 20 ms = 5,000 s > 300 s.
    expect(p.jobs.find((j) => j.name === 'retention')!.seconds).toBeCloseTo(5000, 9);
    expect(p.warnings.join('\n')).toMatch(/retention needs about 5000 s per run .* past its 300 s timeout/);
  });

  it('headroom changes the instance count, never the load', () => {
    // 10,000 devices at 1 s: 20,666.7 writes/s; 0 % -> 20.67 -> 21; 50 % -> 41.3 -> 42.
    const none = plan({ ...base, devices: 10_000, headroom: 0 });
    const half = plan({ ...base, devices: 10_000, headroom: 0.5 });
    expect(none.instances).toBe(21);
    expect(half.instances).toBe(42);
    expect(half.checks[0]!.fleetTotal).toBe(none.checks[0]!.fleetTotal);
  });

  it('zones: every new state reads the zone and each member state, and large zones bind responses', () => {
    // No zone: 2.0667 acks + 1 state push + 4 function reads + 8/60 job reads = 7.2 responses/s.
    // Zone of 10: + (3 + 10) reads per reading = 20.2. Zone of 200: + 203 = 210.2 responses/s;
    // 100,000 devices -> 21,020,000/s against 70,000 usable = 300.3 -> 301 instances, past the
    // 296 that writes need: responses bind.
    expect(plan(base).perDevice.responsesPerSecond).toBeCloseTo(7.2, 9);
    expect(plan({ ...base, zoneSize: 10 }).perDevice.responsesPerSecond).toBeCloseTo(20.2, 9);
    const big = plan({ ...base, zoneSize: 200 });
    expect(big.perDevice.responsesPerSecond).toBeCloseTo(210.2, 9);
    expect(big.binding).toBe('responsesPerSecond');
    expect(big.instances).toBe(301);
    // Download of the state function with a zone of 10, per reading: meta/zone (wire + tls + 12),
    // devices, alert and rule (3 * (wire + tls)), 10 members (10 * 18) + 2 nulls (8), 10 states
    // (10 * (wire + tls + state)).
    const wire = BYTES.wireMessage + BYTES.tlsRecord;
    expect(plan({ ...base, zoneSize: 10 }).perDevice.downloadBytesPerSecond.stateFunction).toBe(
      wire + 12 + 3 * wire + 10 * 18 + 8 + 10 * (wire + BYTES.state),
    );
  });

  it('--instances shows the load at a given count and says how many to add', () => {
    // 2,000 devices at 1 s: 4,133.3 writes/s. On 4 instances: 1,033.3 each (103 % of 1,000, past
    // the 700 usable); ceil(4,133.3 / 700) = 6 needed, add 2. On 6: 688.9 each, no warning.
    const four = plan({ ...base, devices: 2000, instances: 4 });
    expect(four.instances).toBe(4);
    expect(four.plannedInstances).toBe(6);
    expect(check(four, 'writesPerSecond').perInstance).toBeCloseTo(1033.333, 3);
    expect(four.warnings[0]).toBe(
      'at 4 instances, writes/s per instance is 1033 (103 % of the limit, more than the 70 % usable): 6 are needed, add 2.',
    );
    const six = plan({ ...base, devices: 2000, instances: 6 });
    expect(six.warnings.some((w) => w.startsWith('at 6 instances'))).toBe(false);
  });

  it('watchers add a state push each and responses, not writes', () => {
    // Two watchers per device: responses + 2 per reading; writes unchanged.
    const without = plan({ ...base, devices: 1000 });
    const watched = plan({ ...base, devices: 1000, watchersPerDevice: 2 });
    expect(watched.perDevice.responsesPerSecond - without.perDevice.responsesPerSecond).toBeCloseTo(2, 12);
    expect(watched.perDevice.writesPerSecond.total).toBe(without.perDevice.writesPerSecond.total);
    expect(watched.perDevice.downloadBytesPerSecond.stateToWatchers).toBe(2 * (BYTES.wireMessage + BYTES.state + BYTES.tlsRecord));
  });
});
