import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from './mapping.js';
import { HEARTBEAT_MS_MIN, SAMPLE_MS_MAX, SAMPLE_MS_MIN } from './limits.js';
import {
  FUNCTION_INVOCATIONS_PER_READING,
  FUNCTION_INVOCATIONS_PER_STATUS_WRITE,
  RTDB_INSTANCE_LIMITS,
  deviceWriteBudget,
  devicesPerInstanceByWrites,
} from './budget.js';

describe('deviceWriteBudget', () => {
  it('reproduces docs/backend.md at S = 1 s, H = 30 s', () => {
    // By hand: readings 1/1 + function 1/1 + heartbeat 1/30 + fleet summary (state 1/1 + status
    // 1/30) + rollup min(1/60, 1) + retention ceil((60/1)/500)/60 = 1/60
    // -> 2 + 0.03333 + 1.03333 + 0.01667 + 0.01667 = 3.1 writes/s.
    const budget = deviceWriteBudget({ sampleMs: 1000, heartbeatMs: 30_000 });
    expect(budget.deviceReadings).toBe(1);
    expect(budget.functionReadings).toBe(1);
    expect(budget.heartbeats).toBeCloseTo(1 / 30, 12);
    expect(budget.fleetSummary).toBeCloseTo(1 + 1 / 30, 12);
    expect(budget.rollups).toBeCloseTo(1 / 60, 12);
    expect(budget.retention).toBeCloseTo(1 / 60, 12);
    expect(budget.total).toBeCloseTo(3.1, 9);
    // 1000 / 3.1 = 322.58 -> 322 devices ("about 320").
    expect(devicesPerInstanceByWrites({ sampleMs: 1000, heartbeatMs: 30_000 })).toBe(322);
  });

  it('reproduces docs/backend.md at S = 10 s', () => {
    // By hand: 2/10 + 1/30 + (1/10 + 1/30) + 1/60 + ceil(6/500)/60
    // = 0.2 + 0.03333 + 0.13333 + 0.01667 + 0.01667 = 0.4; 1000 / 0.4 = 2500 devices.
    const budget = deviceWriteBudget({ sampleMs: 10_000, heartbeatMs: 30_000 });
    expect(budget.fleetSummary).toBeCloseTo(0.1 + 1 / 30, 12);
    expect(budget.total).toBeCloseTo(0.4, 9);
    expect(devicesPerInstanceByWrites({ sampleMs: 10_000, heartbeatMs: 30_000 })).toBe(2500);
  });

  it('needs two retention batches a run at the fastest sampling', () => {
    // S = 0.1 s: 600 readings a minute -> ceil(600/500) = 2 delete updates per run = 2/60 per s.
    const budget = deviceWriteBudget({ sampleMs: SAMPLE_MS_MIN, heartbeatMs: HEARTBEAT_MS_MIN });
    expect(budget.retention).toBeCloseTo(2 / 60, 12);
    expect(budget.deviceReadings).toBeCloseTo(10, 12);
    expect(budget.heartbeats).toBeCloseTo(1 / 5, 12);
    // Summary: a state per reading (10/s) and a status per heartbeat (1/5 s).
    expect(budget.fleetSummary).toBeCloseTo(10 + 1 / 5, 12);
  });

  it('rolls up and prunes once per reading when sampling is slower than the schedule', () => {
    // S = 3600 s: one reading an hour, so at most one minute an hour to roll up and one to prune.
    const budget = deviceWriteBudget({ sampleMs: SAMPLE_MS_MAX, heartbeatMs: 30_000 });
    expect(budget.rollups).toBeCloseTo(1 / 3600, 12);
    expect(budget.retention).toBeCloseTo(1 / 3600, 12);
  });

  it('uses the model defaults and the documented limit', () => {
    expect(RTDB_INSTANCE_LIMITS.writesPerSecond).toBe(1000);
    expect(RTDB_INSTANCE_LIMITS.connections).toBe(200_000);
    expect(deviceWriteBudget(DEFAULT_CONFIG).total).toBeCloseTo(3.1, 9);
  });

  it('counts one invocation per reading and one per status write', () => {
    // onReadingCreated evaluates the zone itself: no trigger on the state it writes
    // (functions/src/index.ts exports no state trigger). onStatusWritten once per status write.
    expect(FUNCTION_INVOCATIONS_PER_READING).toBe(1);
    expect(FUNCTION_INVOCATIONS_PER_STATUS_WRITE).toBe(1);
  });

  it('refuses rates that are not positive', () => {
    expect(() => deviceWriteBudget({ sampleMs: 0, heartbeatMs: 30_000 })).toThrow(/sampleMs must be a positive/);
    expect(() => deviceWriteBudget({ sampleMs: 1000, heartbeatMs: Number.NaN })).toThrow(/heartbeatMs must be a positive/);
  });
});
