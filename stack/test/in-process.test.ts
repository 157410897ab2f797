// processes: 'in-process', no Auth: the database-only stack the functions tests use (mock tokens,
// the emulator's commit stream).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDatabase } from 'firebase-admin/database';
import { LOCAL_JOB_CONCURRENCY, LOCAL_JOB_SPREAD_SECONDS, eventually, functionsIdle, functionsStatus, runSchedule, startStack, type Stack } from '../src/index.js';

describe('startStack in-process without Auth', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ processes: 'in-process', auth: false, functions: true });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('exposes the running emulator and no child process', () => {
    expect(stack.emulator).not.toBeNull();
    expect(stack.emulator!.hostPort).toBe(stack.hosts.database);
    expect(stack.services()).toEqual([]);
  });

  it('commits are observable, the functions idle call and schedules work', async () => {
    const seen: string[] = [];
    const off = stack.emulator!.commits.onCommit((write) => seen.push(write.paths.map((p) => p.join('/')).join(',')));
    await getDatabase(stack.adminApp()).ref('zones/z1/name').set('Hall');
    await functionsIdle(stack);
    off();
    expect(seen).toContain('zones/z1/name');
    await expect(runSchedule(stack, 'no-such-schedule')).rejects.toThrow(/run schedule no-such-schedule: HTTP 404/);
    // The host's cap and its concurrency counters, as the e2e bench reads them.
    const status = await functionsStatus(stack);
    expect(status?.maxConcurrent).toBe(512);
    expect(status?.stats).toMatchObject({ peakRunning: expect.any(Number), waitedForSlot: 0 });
  });

  it('restartDatabase keeps the data and hands out the new emulator', async () => {
    const first = stack.emulator;
    await stack.restartDatabase();
    expect(stack.emulator).not.toBe(first);
    expect(stack.emulator!.exportData()).toMatchObject({ zones: { z1: { name: 'Hall' } } });
  });
});

describe('startStack functionsEnv in-process', () => {
  it("sets the functions' variables in this process (the functions host's environment) until stop()", async () => {
    expect(process.env.FIRELINK_LOG_MAPPED_READINGS).toBeUndefined();
    expect(process.env.FIRELINK_JOB_CONCURRENCY).toBeUndefined();
    expect(process.env.FIRELINK_JOB_SPREAD_SECONDS).toBeUndefined();
    const stack = await startStack({ processes: 'in-process', auth: false, functions: false, functionsEnv: { FIRELINK_LOG_MAPPED_READINGS: 'true' } });
    try {
      expect(process.env.FIRELINK_LOG_MAPPED_READINGS).toBe('true');
      // The local defaults for the jobs (stack.ts LOCAL_JOB_CONCURRENCY, LOCAL_JOB_SPREAD_SECONDS).
      expect(process.env.FIRELINK_JOB_CONCURRENCY).toBe(LOCAL_JOB_CONCURRENCY);
      expect(process.env.FIRELINK_JOB_SPREAD_SECONDS).toBe(LOCAL_JOB_SPREAD_SECONDS);
    } finally {
      await stack.stop();
    }
    expect(process.env.FIRELINK_LOG_MAPPED_READINGS).toBeUndefined();
    expect(process.env.FIRELINK_JOB_CONCURRENCY).toBeUndefined();
    expect(process.env.FIRELINK_JOB_SPREAD_SECONDS).toBeUndefined();
  });

  it('leaves a job concurrency and spread the environment sets', async () => {
    process.env.FIRELINK_JOB_CONCURRENCY = '7';
    process.env.FIRELINK_JOB_SPREAD_SECONDS = '0';
    try {
      const stack = await startStack({ processes: 'in-process', auth: false, functions: false });
      try {
        expect(process.env.FIRELINK_JOB_CONCURRENCY).toBe('7');
        expect(process.env.FIRELINK_JOB_SPREAD_SECONDS).toBe('0');
      } finally {
        await stack.stop();
      }
    } finally {
      delete process.env.FIRELINK_JOB_CONCURRENCY;
      delete process.env.FIRELINK_JOB_SPREAD_SECONDS;
    }
  });
});

describe('restartDatabase of a child-process database without a dataDir', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ processes: 'child', auth: false, functions: true });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('maps a reading written just before the restart (its trigger replays from the data folder)', async () => {
    const put = await fetch(`${stack.urls.database}/devices/nd-1/readings/-nodatadir000000001.json?ns=${stack.namespace}&auth=owner`, {
      method: 'PUT',
      body: JSON.stringify({ ir: 1234, seq: 1 }),
    });
    expect(put.status).toBe(200);
    // No functionsIdle: the trigger may still be pending when the database stops.
    await stack.restartDatabase();
    await eventually('the reading mapped after the restart', async () => {
      const res = await fetch(`${stack.urls.database}/devices/nd-1/state/readingId.json?ns=${stack.namespace}&auth=owner`);
      return (await res.json()) === '-nodatadir000000001';
    }, 60_000);
  });
});
