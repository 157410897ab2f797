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
    // Per device: 2 + 1/30 + fleet summary (1 + 1/30) + 1/60 + 1/60 = 3.1 writes/s (model budget),
    // so the fleet makes 310,000 writes/s. Usable per instance: 1000 * 0.7 = 700 -> 310,000 / 700
    // = 442.86 -> 443. Without headroom: 310,000 / 1000 = 310. Devices per instance: 100,000 / 443
    // = 225.7 -> 226.
    const p = plan(base);
    expect(check(p, 'writesPerSecond').fleetTotal).toBeCloseTo(310_000, 6);
    expect(check(p, 'writesPerSecond').instancesNeeded).toBe(443);
    expect(p.instances).toBe(443);
    expect(p.binding).toBe('writesPerSecond');
    expect(p.instancesWithoutHeadroom).toBe(310);
    expect(p.devicesPerInstance).toBe(226);
    // Per instance at 443: 310,000 / 443 = 699.77 writes/s = 70.0 % of 1000.
    expect(check(p, 'writesPerSecond').perInstance).toBeCloseTo(699.774, 2);
    // Connections: 3 streams a device = 300,000; usable 140,000 -> 2.14 -> 3 instances.
    expect(check(p, 'connections').fleetTotal).toBe(300_000);
    expect(check(p, 'connections').instancesNeeded).toBe(3);
    // Invocations: 1 per reading, onReadingCreated evaluating the zone too (100,000/s), +
    // onStatusWritten once per heartbeat (100,000 / 30 = 3,333.33/s), plus 5 schedules a minute
    // = 0.0833/s: 103,333.4167/s.
    expect(p.perDevice.invocationsPerSecond).toBeCloseTo(1 + 1 / 30, 12);
    expect(p.invocationsPerSecond).toBeCloseTo(103_333.4167, 3);
  });

  it('event bytes: the created reading, and the status before and after; no state event', () => {
    // readingWrite {"ir":2048,"temp":21.5,"light":1234,"seq":176465000,"deviceTs":1764650000083} = 77 bytes
    // a reading; the state it maps to triggers nothing (onReadingCreated evaluates the zone itself).
    // status {"online":true,"lastSeen":1764650000123,"fw":"1.0.0","rssi":-61} = 64 bytes, before
    // and after for onStatusWritten once per heartbeat: 2 * 64 / 30 = 4.2667 -> 81.2667 bytes/s.
    expect(BYTES.readingWrite).toBe(77);
    expect(BYTES.status).toBe(64);
    const p = plan(base);
    expect(p.perDevice.eventBytesPerSecond).toBeCloseTo(77 + 128 / 30, 9);
    // onStatusWritten downloads only its write's ack (44 + 29 TLS bytes) per heartbeat.
    expect(p.perDevice.downloadBytesPerSecond.statusFunction).toBeCloseTo(73 / 30, 9);
    // 100,000 devices: 8.13 MB/s against 7 MB/s usable -> 1.16 -> 2 instances.
    expect(check(p, 'eventBytesPerSecond').instancesNeeded).toBe(2);
  });

  it('1,000 slow SDK devices fit one instance without headroom', () => {
    // S = 10 s, H = 60 s: 2/10 + 1/60 + fleet summary (1/10 + 1/60) + 1/60 (rollup) + ceil(6/500)/60
    // (retention) = 0.36667 writes/s; 1,000 devices -> 366.7 writes/s, 36.7 % of one instance.
    // One WebSocket each: 1,000 connections.
    const p = plan({ ...base, devices: 1000, sampleMs: 10_000, heartbeatMs: 60_000, transport: 'sdk', headroom: 0 });
    expect(p.perDevice.writesPerSecond.total).toBeCloseTo(0.3 + 4 / 60, 12);
    expect(p.instances).toBe(1);
    expect(check(p, 'writesPerSecond').utilization).toBeCloseTo(0.3 + 4 / 60, 12);
    expect(check(p, 'connections').fleetTotal).toBe(1000);
  });

  it('a million hourly REST devices are bound by connections, and the jobs cannot keep up', () => {
    // S = H = 3600 s: readings 1/3600 + function 1/3600 + heartbeat 1/3600 + fleet summary
    // (1/3600 + 1/3600) + rollup min(1/60, 1/3600) + retention 1/3600 (one reading per run)
    // = 7/3600 writes/s; 1e6 devices -> 1,944.4/s -> 2 instances.
    // Connections: 3 streams * 1e6 = 3e6 / 200,000 = 15 instances: the binding limit.
    const p = plan({ ...base, devices: 1_000_000, sampleMs: 3_600_000, heartbeatMs: 3_600_000, headroom: 0 });
    expect(p.perDevice.writesPerSecond.total).toBeCloseTo(7 / 3600, 12);
    expect(check(p, 'writesPerSecond').instancesNeeded).toBe(2);
    expect(check(p, 'connections').instancesNeeded).toBe(15);
    expect(p.binding).toBe('connections');
    expect(p.instances).toBe(15);
    // Responses per device: 7/3600 acks + 1/3600 state push + 3/3600 function reads + 8/60 job
    // reads = 11/3600 + 8/60 = 0.136389; 1e6 devices -> 136,389/s -> 2 instances.
    expect(p.perDevice.responsesPerSecond).toBeCloseTo(11 / 3600 + 8 / 60, 12);
    expect(check(p, 'responsesPerSecond').instancesNeeded).toBe(2);
    // Retention pass: ceil(1e6 / 16) = 62,500 batches * 4 round trips * 20 ms = 5,000 s > 300 s.
    expect(p.jobs.find((j) => j.name === 'retention')!.seconds).toBeCloseTo(5000, 9);
    expect(p.warnings.join('\n')).toMatch(/retention needs about 5000 s per run .* past its 300 s timeout/);
  });

  it('headroom changes the instance count, never the load', () => {
    // 10,000 devices at 1 s: 31,000 writes/s; 0 % -> 31; 50 % -> 62.
    const none = plan({ ...base, devices: 10_000, headroom: 0 });
    const half = plan({ ...base, devices: 10_000, headroom: 0.5 });
    expect(none.instances).toBe(31);
    expect(half.instances).toBe(62);
    expect(half.checks[0]!.fleetTotal).toBe(none.checks[0]!.fleetTotal);
  });

  it('zones: every mapped reading reads the zone and each member state, and large zones bind responses', () => {
    // No zone: 3.1 acks + 1 state push + 3 function reads + 8/60 job reads = 7.2333 responses/s
    // (the device's zone comes from a listener: no read per reading).
    // Zone of 10: + (3 + 10) reads per reading = 20.2333. Zone of 300: + 303 = 310.2333 responses/s;
    // 100,000 devices -> 31,023,333/s against 70,000 usable = 443.2 -> 444 instances, past the
    // 443 that writes need: responses bind.
    expect(plan(base).perDevice.responsesPerSecond).toBeCloseTo(7.2 + 1 / 30, 9);
    expect(plan({ ...base, zoneSize: 10 }).perDevice.responsesPerSecond).toBeCloseTo(20.2 + 1 / 30, 9);
    const big = plan({ ...base, zoneSize: 300 });
    expect(big.perDevice.responsesPerSecond).toBeCloseTo(310.2 + 1 / 30, 9);
    expect(big.binding).toBe('responsesPerSecond');
    expect(big.instances).toBe(444);
    // Download of the zone evaluation with a zone of 10, per reading: devices, alert and rule
    // (3 * (wire + tls)), 10 members (10 * 18) + 2 nulls (8), 10 states (10 * (wire + tls + state)).
    // Without a zone: nothing.
    const wire = BYTES.wireMessage + BYTES.tlsRecord;
    expect(plan({ ...base, zoneSize: 10 }).perDevice.downloadBytesPerSecond.zoneEvaluation).toBe(
      3 * wire + 10 * 18 + 8 + 10 * (wire + BYTES.state),
    );
    expect(plan(base).perDevice.downloadBytesPerSecond.zoneEvaluation).toBe(0);
  });

  it('--instances shows the load at a given count and says how many to add', () => {
    // 2,000 devices at 1 s: 6,200 writes/s. On 4 instances: 1,550 each (155 % of 1,000, past
    // the 700 usable); ceil(6,200 / 700) = ceil(8.86) = 9 needed, add 5. On 9: 688.9 each, no warning.
    const four = plan({ ...base, devices: 2000, instances: 4 });
    expect(four.instances).toBe(4);
    expect(four.plannedInstances).toBe(9);
    expect(check(four, 'writesPerSecond').perInstance).toBeCloseTo(1550, 6);
    expect(four.warnings[0]).toBe(
      'at 4 instances, writes/s per instance is 1550 (155 % of the limit, more than the 70 % usable): 9 are needed, add 5.',
    );
    const nine = plan({ ...base, devices: 2000, instances: 9 });
    expect(nine.warnings.some((w) => w.startsWith('at 9 instances'))).toBe(false);
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
