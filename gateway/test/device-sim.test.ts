// device-sim over MQTT (`--transport mqtt`) through the gateway: the simulator's real CLI as a
// child process signs in, sends readings, gets their states, answers a command and goes offline
// at the end, exactly as over REST.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readingIdForSeq, startGateway, type RunningGateway } from '../src/index.js';
import { silentSink } from '../src/logs.js';
import { eventually, startLocalStack, type LocalStack } from './stack.js';

const run = promisify(execFile);
const cli = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'device-sim', 'dist', 'cli.js');

describe('device-sim --transport mqtt', () => {
  let stack: LocalStack;
  let gateway: RunningGateway;
  let dir: string;

  beforeAll(async () => {
    stack = await startLocalStack();
    gateway = await startGateway({ mqttPort: 0, wsPort: 0, log: silentSink });
    dir = mkdtempSync(join(tmpdir(), 'gateway-sim-'));
  });

  afterAll(async () => {
    await gateway?.stop();
    await stack?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('runs a device over MQTT: readings stored once each and mapped, a command acked, offline at the end', async () => {
    const device = await stack.provisionDevice('sim-mqtt-1');
    const createdAt = Date.now();
    await stack.admin.ref('devices/sim-mqtt-1/commands/cmd-1').set({ type: 'calibrate', args: { bound: 'min' }, createdAt });
    const { stdout, stderr } = await run(process.execPath, [
      cli, 'run',
      '--transport', 'mqtt', '--mqtt-url', gateway.mqttUrl,
      '--database-emulator-host', stack.hosts.database, '--auth-emulator-host', stack.hosts.auth,
      '--device', device.deviceId, '--email', device.email, '--password', device.password,
      '--sample-ms', '250', '--duration-ms', '4000', '--drain-ms', '5000', '--view', 'none',
      '--queue-file', join(dir, 'queue.json'),
    ], { timeout: 60_000 });
    // `run` and `fleet` end with one JSON line {"report": …} on stdout (docs/device-sim.md).
    const line = stdout.trim().split('\n').find((l) => l.startsWith('{"report"')) ?? '{}';
    const { report } = JSON.parse(line) as { report: { transport: string; acked: number; queued: number; stateUpdates: number } };
    expect(report, stderr).toMatchObject({ transport: 'mqtt', queued: 0 });
    expect(report.acked).toBeGreaterThanOrEqual(8);
    expect(report.stateUpdates).toBeGreaterThanOrEqual(1);

    const readings = ((await stack.admin.ref('devices/sim-mqtt-1/readings').get()).val() ?? {}) as Record<string, { seq: number; ts?: number }>;
    const entries = Object.entries(readings);
    expect(entries.length).toBe(report.acked);
    for (const [key, reading] of entries) expect(key).toBe(readingIdForSeq(reading.seq));
    expect(new Set(entries.map(([, r]) => r.seq)).size).toBe(entries.length);
    const state = (await stack.admin.ref('devices/sim-mqtt-1/state').get()).val();
    expect(state.seq).toBe(Math.max(...entries.map(([, r]) => r.seq)));

    const command = (await stack.admin.ref('devices/sim-mqtt-1/commands/cmd-1').get()).val();
    expect(command.result.status).toBe('ok');
    expect(typeof command.result.value).toBe('number');

    const status = await eventually('offline after the run', async () => {
      const value = (await stack.admin.ref('devices/sim-mqtt-1/status').get()).val();
      return value?.online === false ? value : undefined;
    });
    expect(status.fw).toBe('sim-0.1.0');
  });

  it('runs a small fleet over MQTT, as `npm start` does with FIRELINK_MQTT_FLEET', async () => {
    const { stdout } = await run(process.execPath, [
      cli, 'fleet',
      '--transport', 'mqtt', '--mqtt-url', gateway.mqttUrl,
      '--database-emulator-host', stack.hosts.database, '--auth-emulator-host', stack.hosts.auth,
      '--count', '2', '--prefix', 'mqtt-fleet', '--owner', 'gateway-test-owner', '--rate', '2',
      '--duration-ms', '3000', '--drain-ms', '5000', '--start-spread-ms', '200', '--stats-interval-ms', '60000',
    ], { timeout: 90_000, env: { ...process.env, FIREBASE_DATABASE_EMULATOR_HOST: stack.hosts.database, FIREBASE_AUTH_EMULATOR_HOST: stack.hosts.auth } });
    const { report } = JSON.parse(stdout.trim().split('\n').find((l) => l.startsWith('{"report"')) ?? '{}') as { report: { devices: number; started: number; acked: number; mapped: number; queued: number } };
    expect(report).toMatchObject({ devices: 2, started: 2, queued: 0 });
    expect(report.acked).toBeGreaterThanOrEqual(4);
    expect(report.mapped).toBeGreaterThanOrEqual(1);
    for (const id of ['mqtt-fleet-0001', 'mqtt-fleet-0002']) {
      const readings = ((await stack.admin.ref(`devices/${id}/readings`).get()).val() ?? {}) as Record<string, { seq: number }>;
      expect(Object.keys(readings).length, id).toBeGreaterThanOrEqual(2);
    }
  });
});
