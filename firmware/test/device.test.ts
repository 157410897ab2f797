// Firmware in the loop: the real core (build/firelink-device) against the local stack — our RTDB
// emulator with database.rules.json and the functions, and the Auth emulator. Each reading must be
// stored once with its ts; states, servo moves and LCD lines must follow the model's mapping and
// formatLcd; the device must survive a silent stream, a database restart and short-lived tokens.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { formatLcd, mapReadingToAngle, type Mapping } from '@firelink/model';
import { buildDevice, startDevice, stopAllDevices, type DeviceEvent, type DeviceRun } from './support/device-cli.js';
import { startFreezeProxy } from './support/freeze-proxy.js';
import { startLocalStack, stackMissing, type LocalStack } from './support/local-stack.js';

const missing = stackMissing() ?? buildDevice();
if (missing) console.warn(`[firmware] SKIPPING firmware-in-the-loop tests: ${missing}`);

type Stored = { ir: number; seq: number; ts?: number; light?: number; deviceTs?: number };
const MAPPING: Mapping = { inMin: 500, inMax: 3500, outMin: 10, outMax: 170, invert: true };
/** Reading-to-state latencies seen by every run (printed at the end for the README). */
const latencies: number[] = [];
/** The largest use of each core buffer over every run (the `stats` event), for the README. */
const high: Record<string, number> = {};

function runArgs(stack: { dbHost: string; authHost: string }, id: string, creds: { email: string; password: string }, extra: string[]): string[] {
  return ['run', '--device', id, '--email', creds.email, '--auth-host', stack.authHost, '--db-host', stack.dbHost, '--password', creds.password, ...extra];
}

const ofType = (run: DeviceRun, type: string) => run.events.filter((e) => e.event === type);

function recordStats(run: DeviceRun): void {
  for (const stats of ofType(run, 'stats')) {
    for (const [k, v] of Object.entries((stats.high ?? {}) as Record<string, number>)) high[k] = Math.max(high[k] ?? 0, v);
    high.deviceBytes = stats.deviceBytes as number;
  }
}

/** Every reading the run took is stored exactly once, with its ts, and nothing else is. */
async function expectStoredOnce(stack: LocalStack, id: string, run: DeviceRun): Promise<Record<string, Stored>> {
  recordStats(run);
  await stack.idle();
  const stored = ((await stack.read(`devices/${id}/readings`)) ?? {}) as Record<string, Stored>;
  const taken = ofType(run, 'reading');
  expect(Object.keys(stored).sort()).toEqual(taken.map((e) => e.id as string).sort());
  for (const e of taken) {
    const r = stored[e.id as string]!;
    expect(r.ir).toBe(e.ir);
    expect(r.seq).toBe(e.seq);
    expect(typeof r.ts).toBe('number');
  }
  expect(new Set(Object.values(stored).map((r) => r.seq)).size).toBe(taken.length);
  return stored;
}

/**
 * Each state event drives the servo to its angle and the LCD to the model's text. `latency`: keep
 * its reading-to-state latencies for the printed figure (not for runs with a planned outage).
 */
function expectStatesFollowMapping(run: DeviceRun, mapping: Mapping, latency = true): void {
  const states = ofType(run, 'state');
  expect(states.length).toBeGreaterThan(0);
  for (const state of states) {
    expect(state.angle).toBe(mapReadingToAngle(state.ir as number, mapping));
    const i = run.events.indexOf(state);
    const servo = run.events.slice(i + 1).find((e) => e.event === 'servo');
    const lcd = run.events.slice(i + 1).find((e) => e.event === 'lcd');
    expect(servo).toMatchObject({ angle: state.angle, source: 'state' });
    expect(lcd).toMatchObject(formatLcd({ ir: state.ir, angle: state.angle }));
    if (latency && typeof state.latencyMs === 'number') latencies.push(state.latencyMs);
  }
}

describe.skipIf(missing !== null)('firelink-device against the local stack', () => {
  // One stack for every case (the Auth emulator takes long to start), in strict-token mode: every
  // token is refused 3 s after issue, so each run also proves token refresh under way.
  let stack: LocalStack;

  beforeAll(async () => {
    stack = await startLocalStack({ strictTokens: true, tokenMaxAgeSeconds: 3 });
  });
  // A test that failed or timed out must not leave its device running.
  afterEach(() => stopAllDevices());
  afterAll(async () => {
    stopAllDevices();
    await stack?.stop();
    if (latencies.length > 0) {
      const sorted = [...latencies].sort((a, b) => a - b);
      const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
      console.log(`[firmware] reading-to-state latency through the local stack: n ${sorted.length}, p50 ${q(0.5)} ms, p90 ${q(0.9)} ms, max ${sorted.at(-1)} ms`);
    }
    console.log(`[firmware] largest buffer use over all runs (bytes): ${JSON.stringify(high)}`);
  });

  it('stores each reading once with its ts; state, servo and LCD follow the mapping', async () => {
    const id = 'fw-basic';
    const creds = await stack.provision(id);
    await stack.write(`devices/${id}/config`, { mapping: MAPPING, sampleMs: 1000, heartbeatMs: 30_000 });
    const run = startDevice(runArgs(stack, id, creds, ['--readings', '8', '--sample-ms', '250']));
    expect(await run.exited, run.stderr()).toBe(0);
    await expectStoredOnce(stack, id, run);
    expectStatesFollowMapping(run, MAPPING);
    // The last state names the last reading: the device waited for it before exiting.
    const readings = ofType(run, 'reading');
    expect(ofType(run, 'state').at(-1)?.readingId).toBe(readings.at(-1)?.id);
    expect(ofType(run, 'config-applied')[0]).toMatchObject({ ...MAPPING, sampleMs: 1000 });
    const status = (await stack.read(`devices/${id}/status`)) as Record<string, unknown>;
    expect(status).toMatchObject({ online: false, fw: '1.0.0' });
  });

  it('`map` prints the model\'s angle for each IR value', async () => {
    const irs = [-5, 0, 499, 500, 501, 1234, 2000, 2047, 2048, 3499, 3500, 3501, 4095, 99999];
    const run = startDevice(['map', '--in-min', '500', '--in-max', '3500', '--out-min', '10', '--out-max', '170', '--invert', ...irs.map(String)]);
    const lines: string[] = [];
    // `map` prints plain numbers, which the event reader also parses as JSON.
    expect(await run.exited).toBe(0);
    for (const e of run.events) lines.push(String(e));
    expect(lines).toEqual(irs.map((ir) => String(mapReadingToAngle(ir, MAPPING))));
    const bad = startDevice(['map', '--in-min', '5', '--in-max', '5', '--out-min', '0', '--out-max', '180', '1']);
    expect(await bad.exited).toBe(2);
    expect(bad.stderr()).toContain('mapping.inMax');
  });

  it('signs in with a password typed on the keypad, masked, after showing why a wrong one failed', async () => {
    const id = 'fw-keypad';
    const creds = await stack.provision(id);
    const keys = `12*9#${creds.password}#`;
    const run = startDevice(['run', '--device', id, '--email', creds.email, '--auth-host', stack.authHost, '--db-host', stack.dbHost, '--keypad', keys, '--readings', '2', '--sample-ms', '200']);
    expect(await run.exited, run.stderr()).toBe(0);
    const lcd = ofType(run, 'lcd');
    // Typed "1", "2", erased one, typed "9": the LCD shows only stars.
    expect(lcd.slice(1, 5).map((e) => e.line2)).toEqual(['*', '**', '*', '**']);
    expect(lcd.every((e) => !String(e.line2).includes(creds.password.slice(0, 3)))).toBe(true);
    expect(ofType(run, 'sign-in-refused')).toHaveLength(1);
    expect(lcd).toContainEqual(expect.objectContaining({ line1: 'Sign-in refused', line2: 'wrong password' }));
    expect(ofType(run, 'signed-in')).toHaveLength(1);
    await expectStoredOnce(stack, id, run);
  });

  it('exits non-zero with a clear message on bad credentials, another device, or no server', async () => {
    const creds = await stack.provision('fw-errors');
    const wrong = startDevice(runArgs(stack, 'fw-errors', { ...creds, password: 'AAAA1111' }, ['--readings', '1']));
    expect(await wrong.exited).toBe(3);
    expect(wrong.stderr()).toMatch(/refused: INVALID_(LOGIN_CREDENTIALS|PASSWORD)/);
    const other = startDevice(runArgs(stack, 'fw-someone-else', creds, ['--readings', '1']));
    expect(await other.exited).toBe(4);
    expect(other.stderr()).toContain('is not device fw-someone-else');
    const noServer = startDevice(runArgs({ ...stack, authHost: '127.0.0.1:9' }, 'fw-errors', creds, ['--readings', '1', '--request-timeout-ms', '1000']));
    expect(await noServer.exited).toBe(6);
    expect(noServer.stderr()).toContain('no answer from the Auth server at http://127.0.0.1:9');
  });

  it('without --readings runs until SIGTERM, then stops cleanly and says so in status', async () => {
    const id = 'fw-sigterm';
    const creds = await stack.provision(id);
    const run = startDevice(runArgs(stack, id, creds, ['--sample-ms', '200']));
    await run.waitFor('a state', (e) => e.event === 'state');
    run.kill('SIGTERM');
    expect(await run.exited, run.stderr()).toBe(0);
    expect(run.stderr()).toContain('stopped: taken');
    expect(ofType(run, 'stats')).toHaveLength(1);
    expect(await stack.read(`devices/${id}/status`)).toMatchObject({ online: false });
  });

  it('goes to the shard its directory entry names, from the URLs provisioning writes in secrets.h', async () => {
    const id = 'fw-shard';
    const shard = `${stack.namespace.replace(/-default-rtdb$/, '')}-shard-1`;
    const creds = await stack.provision(id);
    // A device moved before it booted (model/src/shard-move.ts): its data copied, the directory switched.
    await stack.write(`devices/${id}`, await stack.read(`devices/${id}`), shard);
    await stack.write(`deviceShards/${id}`, shard);
    const directoryUrl = `http://${stack.dbHost}/?ns=${stack.namespace}`;
    const args = runArgs(stack, id, creds, ['--readings', '4', '--sample-ms', '250', '--database-url', directoryUrl, '--directory-url', directoryUrl]);
    const run = startDevice(args);
    expect(await run.exited, run.stderr()).toBe(0);
    expect(run.events).toContainEqual(expect.objectContaining({ event: 'shard-moved', ns: shard }));
    await stack.idle();
    const readings = Object.values(((await stack.read(`devices/${id}/readings`, shard)) ?? {}) as Record<string, { ts?: number }>);
    expect(readings).toHaveLength(4);
    for (const r of readings) expect(typeof r.ts).toBe('number');
    expect(await stack.read(`devices/${id}/readings`)).toBeNull();
    expect(await stack.read(`devices/${id}/status`, shard)).toMatchObject({ online: false, fw: '1.0.0' });
  });

  it('acknowledges commands like the simulator and applies config from the heartbeat', async () => {
    const id = 'fw-commands';
    const creds = await stack.provision(id);
    const now = Date.now();
    await stack.write(`devices/${id}/commands`, {
      c1: { type: 'set-angle', args: { angle: 42 }, createdAt: now },
      c2: { type: 'calibrate', args: { bound: 'max' }, createdAt: now },
      c3: { type: 'identify', args: { durationMs: 500 }, createdAt: now },
      c4: { type: 'self-destruct', createdAt: now },
      c5: { type: 'set-angle', args: { angle: 999 }, createdAt: now },
      c6: { type: 'reconnect', createdAt: now },
    });
    await stack.write(`devices/${id}/config`, { mapping: MAPPING, sampleMs: 300, heartbeatMs: 5000 });
    const run = startDevice(runArgs(stack, id, creds, ['--readings', '4']));
    expect(await run.exited, run.stderr()).toBe(0);
    const commands = (await stack.read(`devices/${id}/commands`)) as Record<string, { ackAt?: number; result?: { status: string; value?: number; message?: string } }>;
    expect(commands.c1?.result).toEqual({ status: 'ok', message: 'servo at 42 deg' });
    expect(commands.c2?.result).toMatchObject({ status: 'ok', message: 'sampled ir for inMax' });
    expect(typeof commands.c2?.result?.value).toBe('number');
    expect(commands.c3?.result).toEqual({ status: 'ok', message: 'identifying for 500 ms' });
    expect(commands.c4?.result).toMatchObject({ status: 'unsupported' });
    expect(commands.c5?.result).toMatchObject({ status: 'error' });
    // No directory entry: the device re-reads it and stays where it is.
    expect(commands.c6?.result).toEqual({ status: 'ok', message: 'reconnecting to the shard of the directory' });
    for (const c of Object.values(commands)) expect(typeof c.ackAt).toBe('number');
    expect(run.events).toContainEqual(expect.objectContaining({ event: 'servo', angle: 42, source: 'command' }));
    // sampleMs 300 from the config (no --sample-ms): four readings came at the config's pace.
    expect(ofType(run, 'config-applied')[0]).toMatchObject({ sampleMs: 300, heartbeatMs: 5000 });
  });

  it('reopens a stream that went silent (watchdog) and keeps following the state', async () => {
    const id = 'fw-silent';
    const creds = await stack.provision(id);
    const proxy = await startFreezeProxy(stack.dbHost);
    try {
      const run = startDevice(runArgs({ ...stack, dbHost: proxy.hostPort }, id, creds, ['--readings', '10', '--sample-ms', '400', '--stream-idle-ms', '1500']));
      await run.waitFor('the first state', (e) => e.event === 'state');
      expect(proxy.freezeOpenConnections()).toBeGreaterThan(0);
      await run.waitFor('the watchdog', (e) => e.event === 'stream-silent');
      expect(await run.exited, run.stderr()).toBe(0);
      const silentAt = run.events.findIndex((e) => e.event === 'stream-silent');
      expect(run.events.slice(silentAt).some((e) => e.event === 'stream-open')).toBe(true);
      expect(run.events.slice(silentAt).some((e) => e.event === 'state')).toBe(true);
      await expectStoredOnce(stack, id, run);
      expectStatesFollowMapping(run, { inMin: 0, inMax: 4095, outMin: 0, outMax: 180, invert: false }, false);
    } finally {
      await proxy.close();
    }
  });

  it('buffers readings while the database is down and delivers each exactly once after it returns', async () => {
    const id = 'fw-restart';
    const creds = await stack.provision(id);
    // The device reaches the database through a proxy that keeps it away as long as the test
    // needs, so the outage does not depend on how fast the emulator restarts.
    const proxy = await startFreezeProxy(stack.dbHost);
    try {
      const run = startDevice(runArgs({ ...stack, dbHost: proxy.hostPort }, id, creds, ['--readings', '14', '--sample-ms', '300', '--backoff-max-ms', '800', '--request-timeout-ms', '2000']));
      await run.waitFor('three acked readings', (_e, all) => all.filter((x) => x.event === 'acked').length >= 3);
      proxy.setDown(true);
      await stack.restartDatabase();
      // Readings taken while the database is away wait in the ring.
      await run.waitFor('two readings queued behind failed writes', (_e, all) =>
        all.filter((x) => x.event === 'send-failed').length >= 2 && all.some((x) => x.event === 'reading' && (x.queued as number) >= 2),
      );
      proxy.setDown(false);
      expect(await run.exited, run.stderr()).toBe(0);
      await expectStoredOnce(stack, id, run);
      // While offline the servo followed the local mapping.
      const offlineAt = run.events.findIndex((e) => e.event === 'offline');
      expect(offlineAt).toBeGreaterThan(-1);
      const local = run.events.slice(offlineAt).filter((e): e is DeviceEvent => e.event === 'servo' && e.source === 'local');
      expect(local.length).toBeGreaterThan(0);
      expectStatesFollowMapping(run, { inMin: 0, inMax: 4095, outMin: 0, outMax: 180, invert: false }, false);
    } finally {
      proxy.setDown(false);
      await proxy.close();
    }
  });

  it('refreshes refused tokens (strict-token emulator, 3 s lifetime) and loses nothing', async () => {
    const id = 'fw-tokens';
    const creds = await stack.provision(id);
    const run = startDevice(runArgs(stack, id, creds, ['--readings', '24', '--sample-ms', '400']));
    expect(await run.exited, run.stderr()).toBe(0);
    await expectStoredOnce(stack, id, run);
    const refreshed = ofType(run, 'token-refreshed');
    expect(refreshed.length).toBeGreaterThanOrEqual(2);
    expectStatesFollowMapping(run, { inMin: 0, inMax: 4095, outMin: 0, outMax: 180, invert: false });
  });
});
