// A fleet of 200 devices for 20 seconds in one process against the local stack: every reading
// sent is stored, stamped by the reading function, and its state reaches the device. Prints the
// fleet's figures (rates, latency, CPU) instead of asserting on timing.
import { loadavg } from 'node:os';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FLEET_DEFAULTS, FleetSchema, loadConfig } from '../src/cli/config.js';
import { fleetDeviceIds, runFleet } from '../src/cli/fleet.js';
import { jsonLineSink } from '../src/logs.js';
import { functionsMissing, startStack, type Stack } from './support/stack.js';

const missing = functionsMissing();
if (missing) console.warn(`[device-sim] SKIPPING fleet integration test: ${missing}`);

const COUNT = Number(process.env.DEVICE_SIM_TEST_FLEET_COUNT ?? 200);
const DURATION_MS = Number(process.env.DEVICE_SIM_TEST_FLEET_MS ?? 20_000);
/**
 * Readings per second per device: 200 devices at 0.25/s is 50 readings/s through the whole stack
 * (rules, the reading function, state fan-out), sustainable on a shared 2-core machine.
 */
const RATE = Number(process.env.DEVICE_SIM_TEST_FLEET_RATE ?? 0.25);
const STREAMS = process.env.DEVICE_SIM_TEST_FLEET_STREAMS ?? 'all';

describe.skipIf(missing !== null)('fleet', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ separateProcess: true });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it(`runs ${COUNT} devices for ${DURATION_MS / 1000} s with every reading mapped`, async () => {
    const config = loadConfig(FleetSchema, FLEET_DEFAULTS, {
      env: {},
      flags: {
        count: COUNT,
        rate: RATE,
        streams: STREAMS,
        durationMs: DURATION_MS,
        prefix: 'fl',
        owner: 'fleet-owner',
        databaseEmulatorHost: stack.db.hostPort,
        authEmulatorHost: stack.auth.hostAndPort,
        statsIntervalMs: 5_000,
        backoffBaseMs: 200,
        backoffMaxMs: 2_000,
      },
    });
    const out = new PassThrough();
    const lines: string[] = [];
    out.on('data', (c: Buffer) => lines.push(...c.toString().trim().split('\n')));
    const errors = new PassThrough();
    const errorLines: string[] = [];
    errors.on('data', (c: Buffer) => errorLines.push(c.toString()));
    const emulatorCpuBefore = stack.db.cpuMs?.() ?? null;
    const cpuBefore = process.cpuUsage();
    const startedMs = Date.now();
    const report = await runFleet(config, { out, sink: jsonLineSink(errors, 'warn'), signal: new AbortController().signal });
    const cpu = process.cpuUsage(cpuBefore);
    const wallMs = Date.now() - startedMs;
    const emulatorCpuAfter = stack.db.cpuMs?.() ?? null;
    const emulatorCpu = emulatorCpuBefore === null || emulatorCpuAfter === null ? 'n/a' : `${emulatorCpuAfter - emulatorCpuBefore} ms`;
    console.log(`[device-sim] fleet summary lines:\n  ${lines.join('\n  ')}`);
    console.log(
      `[device-sim] fleet of ${COUNT} (streams ${STREAMS}, ${RATE} readings/s each) for ${DURATION_MS} ms (plus provisioning): wall ${wallMs} ms, test process CPU ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms ` +
        `(${(((cpu.user + cpu.system) / 1000 / wallMs) * 100).toFixed(0)}% of one core), emulator process CPU ${emulatorCpu}, load average ${loadavg().map((n) => n.toFixed(1)).join(' ')}; report ${JSON.stringify(report)}`,
    );
    // Under load a request may time out and be retried (logged as warnings); nothing may fail for good.
    expect(errorLines.filter((l) => l.includes('"level":"error"'))).toEqual([]);
    expect(report.started).toBe(COUNT);
    expect(Object.keys(report.errorsByCode).filter((code) => code !== 'unreachable')).toEqual([]);
    expect(report.queued).toBe(0);
    expect(report.acked).toBe(report.sent);
    // A device samples once per period, the first one period after it starts: count whole
    // periods, allowing 4 s for start-up spread.
    expect(report.acked).toBeGreaterThanOrEqual(COUNT * Math.floor((DURATION_MS / 1000 - 4) * RATE));
    // Every reading the devices saw acknowledged came back to them as a state.
    expect(report.mapped).toBe(report.acked);
    // Every latency belongs to the start (ramp-up) or to the run, and the run has its own.
    expect(report.startLatencyMs.samples + report.runLatencyMs.samples).toBe(report.latencyMs.samples);
    expect(report.runLatencyMs.samples).toBeGreaterThan(0);
    expect(report.runLatencyMs.p99).toBeLessThanOrEqual(report.runLatencyMs.max);
    await stack.idle();
    const devices = (await stack.read('devices')) as Record<string, { readings?: Record<string, { ts?: number; seq: number }>; state?: { seq: number } }>;
    let stored = 0;
    for (const id of fleetDeviceIds('fl', COUNT)) {
      const readings = Object.values(devices[id]?.readings ?? {});
      stored += readings.length;
      expect(readings.every((r) => typeof r.ts === 'number'), id).toBe(true);
      expect(devices[id]?.state?.seq, id).toBe(Math.max(...readings.map((r) => r.seq)));
    }
    expect(stored).toBe(report.acked);
  }, 300_000);
});
