// Issue 7, literally: the RTDB emulator runs as its own process (the `@firelink/stack` database
// service: `node emulator/dist/cli.js` with a data folder, the rules and the functions host),
// `device-sim run` devices (REST and SDK, side by side) write to it, and the test ends the PROCESS
// mid-run, then starts a new one on the SAME port from the same data folder (stack.restartDatabase()).
//
// SIGTERM (restartDatabase: stop, start): the emulator closes its port, lets queued function
// events finish and compacts its data folder; the new process starts with everything. At the end:
// readings taken == stored, no duplicate `seq`, every reading stamped with `ts`, the device queue
// empty (the run drains).
//
// SIGKILL (stack.killDatabase, then restartDatabase): the process and its functions worker die at
// once. The data folder journals every write BEFORE acknowledging it (emulator/README.md, "Durable
// mode"), so a crash loses nothing acknowledged; function events pending at the crash are replayed
// at the next start. So the assertions are exact for both transports:
//   REST (every reading write passes through a recording `fetch`): the killed process did
//   acknowledge readings (the kill mattered), and the stored readings are exactly the readings the
//   device took: nothing acknowledged lost, nothing the device still held lost or stored twice.
//   SDK: every reading the killed process held just before the kill is still stored, and stored ==
//   taken; acknowledged readings are not re-sent (unique seqs).
// Both scenarios check that no process of the database service (the functions worker included)
// outlives it.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processGroupAlive, processTree, startStack, type Stack } from '@firelink/stack';
import { runCli, type CliResult } from './support/cli.js';
import { NAMESPACE, eventually, functionsMissing, tempDir } from './support/stack.js';
import { WriteRecorder } from './support/write-recorder.js';

const missing = functionsMissing();
if (missing) console.warn(`[device-sim] SKIPPING emulator kill/restart tests: ${missing}`);

const TRANSPORTS = ['rest', 'sdk'] as const;
const RUN_MS = 9_000;
/** Readings each device must have stored before the emulator is stopped (a condition, not a sleep). */
const STORED_BEFORE_STOP = 6;
/** Long enough to send the backlog and receive its states after the restart. */
const DRAIN_MS = 5_000;

type Reading = { seq: number; ts?: number; deviceTs?: number };
type Report = { taken: number; acked: number; queued: number; stateUpdates: number };

describe.skipIf(missing !== null)('the emulator process killed and restarted on the same port', () => {
  const dir = tempDir('emulator-kill');
  const creds = new Map<string, { email: string; password: string }>();
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ ports: 'free', processes: 'child', functions: true, dataDir: join(dir, 'data') });
    for (const t of TRANSPORTS) for (const kind of ['term', 'kill']) creds.set(`${kind}-${t}`, await stack.provisionDevice({ deviceId: `${kind}-${t}`, owner: 'owner-1' }));
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const databaseService = () => stack.services().find((s) => s.name === 'database')!;
  /** Ends the database service's process the way `stop` does, and checks none of its group is left. */
  async function endDatabase(stop: () => Promise<unknown>): Promise<void> {
    const { pid } = databaseService();
    expect(processTree(pid!).length, 'the functions worker runs beside the emulator').toBeGreaterThan(1);
    await stop();
    expect(processGroupAlive(pid!), 'a process of the stopped database service (its functions worker?) is left').toBe(false);
  }

  const hostFlags = () => ['--database-emulator-host', stack.hosts.database, '--auth-emulator-host', stack.hosts.auth];
  const run = (id: string, transport: string, fetchImpl?: typeof fetch) =>
    runCli(
      [
        'run', '--device', id, '--email', creds.get(id)!.email, '--password', creds.get(id)!.password, ...hostFlags(),
        '--transport', transport, '--duration-ms', String(RUN_MS), '--drain-ms', String(DRAIN_MS), '--sample-ms', '250', '--view', 'none',
        '--backoff-base-ms', '100', '--backoff-max-ms', '1000', '--request-timeout-ms', '3000', '--queue-file', join(dir, `${id}.queue.json`),
      ],
      fetchImpl ? { fetch: fetchImpl } : {},
    );
  const reportOf = (result: CliResult) => reportLine(result.stdout).report as Report;
  const readingsOf = async (id: string) => {
    const res = await fetch(`${stack.urls.database}/devices/${id}/readings.json?ns=${NAMESPACE}`, { headers: { authorization: 'Bearer owner' } });
    return ((await res.json()) ?? {}) as Record<string, Reading>;
  };

  /** Waits until every device of the scenario has stored enough readings to make the stop matter. */
  const storedBeforeStop = (scenario: string) =>
    eventually(
      `${STORED_BEFORE_STOP} readings of each ${scenario} device stored`,
      async () => {
        for (const t of TRANSPORTS) if (Object.keys(await readingsOf(`${scenario}-${t}`)).length < STORED_BEFORE_STOP) return undefined;
        return true;
      },
      RUN_MS,
    );

  /** Unique seqs, and every reading stamped with `ts` by the functions (replayed after a crash too). */
  function expectUniqueStampedSeqs(id: string, readings: Record<string, Reading>) {
    const values = Object.values(readings);
    expect(new Set(values.map((r) => r.seq)).size, `${id}: duplicate seq`).toBe(values.length);
    expect(Object.keys(readings).filter((key) => typeof readings[key]!.ts !== 'number'), `${id}: readings never stamped with ts`).toEqual([]);
  }

  /** Waits until every reading of the devices is stamped (the restarted functions host replays what was pending). */
  const allStamped = (ids: string[]) =>
    eventually('every stored reading stamped with ts', async () => {
      for (const id of ids) if (Object.values(await readingsOf(id)).some((r) => typeof r.ts !== 'number')) return undefined;
      return true;
    }, 30_000);

  it('SIGTERM mid-run, a new process on the same data folder: nothing lost, nothing duplicated', async () => {
    const runs = TRANSPORTS.map((t) => run(`term-${t}`, t));
    await storedBeforeStop('term');
    const heldBeforeStop = new Map<string, number>();
    for (const t of TRANSPORTS) heldBeforeStop.set(t, Object.keys(await readingsOf(`term-${t}`)).length);
    await endDatabase(() => stack.restartDatabase());
    const results = await Promise.all(runs);
    await stack.functionsIdle();
    await allStamped(TRANSPORTS.map((t) => `term-${t}`));
    for (const [i, t] of TRANSPORTS.entries()) {
      const id = `term-${t}`;
      const result = results[i]!;
      expect(result.code, result.stderr).toBe(0);
      const report = reportOf(result);
      const stored = await readingsOf(id);
      console.log(`[emulator-kill] SIGTERM ${t}: taken=${report.taken} acked=${report.acked} held-at-stop>=${heldBeforeStop.get(t)} stored=${Object.keys(stored).length} queued=${report.queued}`);
      expect(report.taken).toBeGreaterThan(heldBeforeStop.get(t)!);
      expect(report.queued, `${id}: queue not empty after the drain`).toBe(0);
      expect(Object.keys(stored).length, `${id}: readings taken vs stored`).toBe(report.taken);
      expectUniqueStampedSeqs(id, stored);
      expect(result.logLines().some((l) => l.event === 'offline' || l.event === 'listen-error'), `${id} never noticed the outage`).toBe(true);
    }
  }, 90_000);

  it('SIGKILL mid-run: nothing acknowledged is lost (journal before ack), nothing the device held is lost or duplicated', async () => {
    const recorder = new WriteRecorder('kill-rest');
    const runs = TRANSPORTS.map((t) => run(`kill-${t}`, t, t === 'rest' ? recorder.fetch : undefined));
    await storedBeforeStop('kill');
    const heldBeforeKill = await readingsOf('kill-sdk');
    let killedAtMs = 0;
    await endDatabase(async () => {
      const exit = await stack.killDatabase('SIGKILL');
      killedAtMs = Date.now();
      expect(exit.signal).toBe('SIGKILL');
    });
    await stack.restartDatabase();
    const results = await Promise.all(runs);
    await stack.functionsIdle();
    await allStamped(TRANSPORTS.map((t) => `kill-${t}`));

    for (const [i, t] of TRANSPORTS.entries()) {
      const result = results[i]!;
      expect(result.code, result.stderr).toBe(0);
      const report = reportOf(result);
      expect(report.queued, `kill-${t}: queue not empty after the drain`).toBe(0);
      expect(report.taken).toBeGreaterThanOrEqual(STORED_BEFORE_STOP);
    }

    // REST: exact accounting from the recorded writes.
    const restReport = reportOf(results[0]!);
    const restStored = await readingsOf('kill-rest');
    const ackedByKilled = recorder.ackedBetween(0, killedAtMs);
    console.log(`[emulator-kill] SIGKILL rest: taken=${restReport.taken} attempted=${recorder.attempted.length} acked-by-killed=${ackedByKilled.size} stored=${Object.keys(restStored).length}`);
    expect(recorder.attempted.length, 'kill-rest: every reading taken was written').toBe(restReport.taken);
    expect(ackedByKilled.size, 'kill-rest: the killed process acknowledged nothing (the kill proved nothing)').toBeGreaterThan(0);
    expect(Object.keys(restStored).sort(), 'kill-rest: stored != every reading taken').toEqual([...recorder.attempted].sort());
    expectUniqueStampedSeqs('kill-rest', restStored);

    // SDK: what the killed process held is still there, and nothing else is missing.
    const sdkReport = reportOf(results[1]!);
    const sdkStored = await readingsOf('kill-sdk');
    const held = Object.keys(heldBeforeKill);
    console.log(`[emulator-kill] SIGKILL sdk: taken=${sdkReport.taken} held-before-kill=${held.length} stored=${Object.keys(sdkStored).length}`);
    expect(held.length, 'kill-sdk: the killed process held nothing (the kill proved nothing)').toBeGreaterThan(0);
    expect(held.filter((id) => !(id in sdkStored)), 'kill-sdk: readings acknowledged by the killed process were lost').toEqual([]);
    expect(Object.keys(sdkStored).length, 'kill-sdk: readings taken vs stored').toBe(sdkReport.taken);
    expectUniqueStampedSeqs('kill-sdk', sdkStored);
  }, 90_000);
});

/** The command's final report: the JSON line on stdout that holds `report` (docs/device-sim.md "Output"). */
function reportLine(stdout: string): { report: unknown } {
  const line = stdout.split('\n').find((l) => l.startsWith('{"report"'));
  if (line === undefined) throw new Error(`no report line on stdout:\n${stdout}`);
  return JSON.parse(line) as { report: unknown };
}
