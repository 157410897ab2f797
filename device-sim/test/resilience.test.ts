// Resilience against the local stack: token expiry in the emulator's strict token mode with a
// compressed token lifetime, and the emulator going away and coming back mid-run. In both, the
// count of readings taken must equal the count stored, with no duplicates.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, functionsMissing, startStack, tempDir, type Stack } from './support/stack.js';
import { runCli, stackFlags } from './support/cli.js';

const missing = functionsMissing();
if (missing) console.warn(`[device-sim] SKIPPING resilience integration tests: ${missing}`);

const TOKEN_MAX_AGE_SECONDS = 3;

type Reading = { seq: number; ts?: number };

describe.skipIf(missing !== null)('resilience', () => {
  let stack: Stack;
  const dir = tempDir('resilience');
  const creds = new Map<string, { email: string; password: string }>();

  beforeAll(async () => {
    stack = await startStack({ strictTokens: true, tokenMaxAgeSeconds: TOKEN_MAX_AGE_SECONDS });
    for (const id of ['tok-rest', 'tok-sdk', 'rs-rest', 'rs-sdk', 'q-rest']) creds.set(id, await stack.provision(id));
  });
  afterAll(async () => {
    await stack?.stop();
  });

  async function checkStored(id: string, report: { taken: number; queued: number }) {
    await stack.idle();
    const readings = Object.values(((await stack.read(`devices/${id}/readings`)) ?? {}) as Record<string, Reading>);
    expect(report.queued).toBe(0);
    expect(readings.length).toBe(report.taken);
    expect(new Set(readings.map((r) => r.seq)).size).toBe(readings.length);
    expect(readings.every((r) => typeof r.ts === 'number')).toBe(true);
  }

  const run = (id: string, transport: string, durationMs: number, extra: string[] = []) =>
    runCli([
      'run', '--device', id, '--email', creds.get(id)!.email, '--password', creds.get(id)!.password, ...stackFlags(stack),
      '--transport', transport, '--duration-ms', String(durationMs), '--sample-ms', '250', '--view', 'none',
      '--backoff-base-ms', '100', '--backoff-max-ms', '1000', '--request-timeout-ms', '3000', '--queue-file', join(dir, `${id}.json`),
      ...extra,
    ]);
  const reportOf = (result: Awaited<ReturnType<typeof run>>) => {
    const line = result.stdout.split('\n').find((l) => l.startsWith('{"report"'));
    if (line === undefined) throw new Error(`no report line on stdout:\n${result.stdout}\n${result.stderr}`);
    return (JSON.parse(line) as { report: { taken: number; acked: number; queued: number; stateUpdates: number; tokenRefreshes: number } }).report;
  };
  /** Waits until `count` readings of `id` are stored (a condition instead of a fixed sleep). */
  const stored = (id: string, count: number) =>
    eventually(`${count} readings of ${id} stored`, async () => (Object.keys(((await stack.read(`devices/${id}/readings`)) ?? {}) as object).length >= count ? true : undefined), 30_000);

  describe.each(['rest', 'sdk'] as const)('transport %s', (transport) => {
    it(`keeps writing across many token expiries (strict tokens, ${TOKEN_MAX_AGE_SECONDS} s lifetime)`, async () => {
      const id = `tok-${transport}`;
      const result = await run(id, transport, 12_000);
      expect(result.code, result.stderr).toBe(0);
      const report = reportOf(result);
      expect(report.taken).toBeGreaterThan(0);
      await checkStored(id, report);
      // The device kept receiving states throughout, not only in the first token's lifetime.
      expect(report.stateUpdates).toBeGreaterThanOrEqual(report.taken - 2);
      if (transport === 'rest') expect(report.tokenRefreshes).toBeGreaterThanOrEqual(3);
    }, 60_000);

    it('loses and duplicates nothing when the emulator restarts mid-run', async () => {
      const id = `rs-${transport}`;
      const running = run(id, transport, 11_000);
      await stored(id, 4);
      await stack.db.restart(1_500);
      await stored(id, 8);
      await stack.db.restart(1_500);
      const result = await running;
      expect(result.code, result.stderr).toBe(0);
      const report = reportOf(result);
      expect(report.taken).toBeGreaterThanOrEqual(8);
      await checkStored(id, report);
      expect(result.logLines().some((l) => l.event === 'offline' || l.event === 'listen-error')).toBe(true);
    }, 60_000);
  });

  it('keeps readings taken while the database is away in its queue file across a simulator restart', async () => {
    const id = 'q-rest';
    const down = stack.db.restart(4_500);
    // No drain: this run must end with its readings still queued.
    const offline = await run(id, 'rest', 3_000, ['--drain-ms', '0']);
    await down;
    expect(offline.code, offline.stderr).toBe(0);
    const first = reportOf(offline);
    expect(first.taken).toBeGreaterThan(0);
    expect(first.queued).toBe(first.taken);
    const online = await run(id, 'rest', 2_000);
    expect(online.code, online.stderr).toBe(0);
    const second = reportOf(online);
    expect(online.logLines().some((l) => l.event === 'backlog-sent')).toBe(true);
    await checkStored(id, { taken: first.taken + second.taken, queued: second.queued });
  }, 60_000);
});
