// One device against the whole local stack (RTDB emulator with rules and the backend functions,
// firebase-tools Auth emulator), through the CLI exactly as a user runs it, on both transports.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DEFAULT_MAPPING, mapReadingToAngle } from '@firelink/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { functionsMissing, startStack, tempDir, type Stack } from './support/stack.js';
import { runCli, stackFlags } from './support/cli.js';
import { freePort } from '@firelink/stack';

const run = promisify(execFile);

const missing = functionsMissing();
if (missing) console.warn(`[device-sim] SKIPPING device integration tests: ${missing}`);

type Reading = { ir: number; seq: number; ts?: number };

describe.skipIf(missing !== null)('device against the local stack', () => {
  let stack: Stack;
  const dir = tempDir('device');
  const creds = new Map<string, { email: string; password: string }>();

  beforeAll(async () => {
    stack = await startStack();
    for (const id of ['dev-rest', 'dev-sdk', 'dev-other']) {
      const c = await stack.provision(id);
      creds.set(id, c);
    }
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const login = (id: string) => ['--email', creds.get(id)!.email, '--password', creds.get(id)!.password];

  describe.each(['rest', 'sdk'] as const)('transport %s', (transport) => {
    it('signs in, and its readings produce states whose angles follow the model mapping', async () => {
      const id = `dev-${transport}`;
      const result = await runCli([
        'run', '--device', id, ...login(id), ...stackFlags(stack), '--transport', transport,
        '--duration-ms', '3000', '--sample-ms', '200', '--view', 'json', '--seed', '7',
        '--queue-file', join(dir, `${id}.json`),
      ]);
      expect(result.stderr).not.toMatch(/"level":"error"/);
      expect(result.code).toBe(0);
      const report = reportLine(result.stdout).report as { taken: number; acked: number; queued: number; stateUpdates: number };
      expect(report.taken).toBeGreaterThanOrEqual(8);
      expect(report.acked).toBe(report.taken);
      expect(report.queued).toBe(0);
      await stack.idle();
      const node = (await stack.read(`devices/${id}`)) as { readings: Record<string, Reading>; state: { angle: number; ir: number; readingId: string; seq: number }; status: { online: boolean; fw: string } };
      const readings = Object.entries(node.readings);
      expect(readings.length).toBe(report.taken);
      // Every reading was handled by the function (stamped) and the state is the newest one, mapped.
      for (const [, r] of readings) expect(typeof r.ts).toBe('number');
      const newest = readings.reduce((a, b) => (b[1].seq > a[1].seq ? b : a));
      expect(node.state.readingId).toBe(newest[0]);
      expect(node.state.angle).toBe(mapReadingToAngle(newest[1].ir, DEFAULT_MAPPING));
      expect(node.status).toMatchObject({ online: false, fw: 'sim-0.1.0' });
      // What the device showed: each LCD frame's angle is the mapping of the IR it shows.
      // stdout: one JSON line per frame, then the report line.
      const frames = result.stdout.trim().split('\n').filter((l) => !l.startsWith('{"report"')).map((l) => JSON.parse(l) as { angle: number | null; lcd: { line1: string } });
      const shown = frames.filter((f) => f.angle !== null);
      expect(shown.length).toBeGreaterThan(3);
      for (const f of shown) expect(f.angle).toBe(mapReadingToAngle(Number(f.lcd.line1.replace('IR ', '')), DEFAULT_MAPPING));
      expect(shown.at(-1)!.angle).toBe(node.state.angle);
    });

    it('CRUD and query commands return what the database holds', async () => {
      const id = `dev-${transport}`;
      const as = [...login(id), ...stackFlags(stack), '--transport', transport];
      const setStatus = await runCli(['set', `devices/${id}/status`, '{"online":true,"lastSeen":{".sv":"timestamp"},"fw":"crud-1"}', ...as]);
      expect(setStatus.code, setStatus.stderr).toBe(0);
      const update = await runCli(['update', `devices/${id}/status`, '{"fw":"crud-2"}', ...as]);
      expect(update.code, update.stderr).toBe(0);
      const status = (await stack.read(`devices/${id}/status`)) as { fw: string; online: boolean };
      expect(status).toMatchObject({ fw: 'crud-2', online: true });
      const get = await runCli(['get', `devices/${id}/state`, ...as]);
      expect(get.code, get.stderr).toBe(0);
      expect(get.json()).toEqual(await stack.read(`devices/${id}/state`));
      // Commands written by the owner (admin here), queried by the device.
      await fetch(`${stack.db.url}/devices/${id}/commands.json?ns=demo-firelink-default-rtdb`, {
        method: 'PATCH',
        headers: { authorization: 'Bearer owner' },
        body: JSON.stringify({ '-C1': { type: 'identify', createdAt: 1000 }, '-C2': { type: 'reboot', createdAt: 2000 }, '-C3': { type: 'identify', createdAt: 3000 } }),
      });
      const query = await runCli(['query', `devices/${id}/commands`, '--order-by', 'createdAt', '--start-at', '1500', '--limit-first', '1', ...as]);
      expect(query.code, query.stderr).toBe(0);
      expect(query.json()).toEqual({ '-C2': { type: 'reboot', createdAt: 2000 } });
      const byKey = await runCli(['query', `devices/${id}/commands`, '--order-by', 'key', '--limit-last', '2', ...as]);
      expect(Object.keys(byKey.json() as object)).toEqual(['-C2', '-C3']);
      const all = (await stack.read(`devices/${id}/commands`)) as Record<string, unknown>;
      const eq = await runCli(['query', `devices/${id}/commands`, '--order-by', 'type', '--equal-to', 'identify', ...as]);
      expect(eq.json()).toEqual({ '-C1': all['-C1'], '-C3': all['-C3'] });
      // Delete as admin (devices may not delete commands), then read back null.
      const del = await runCli(['delete', `devices/${id}/commands`, '--admin', ...stackFlags(stack)]);
      expect(del.code, del.stderr).toBe(0);
      expect(await stack.read(`devices/${id}/commands`)).toBeNull();
    });
  });

  it('gives the same query results over both transports', async () => {
    const args = (transport: string) => ['query', 'devices/dev-rest/readings', '--order-by', 'seq', '--limit-last', '3', '--admin', ...stackFlags(stack), '--transport', transport];
    const owner = await runCli(args('rest'));
    expect(owner.code, owner.stderr).toBe(0);
    expect(Object.keys(owner.json() as object).length).toBe(3);
    // The device itself may not read its readings; both transports must say so the same way.
    const asDevice = (transport: string) => runCli(['get', 'devices/dev-rest/readings', ...login('dev-rest'), ...stackFlags(stack), '--transport', transport]);
    const [rest, sdk] = await Promise.all([asDevice('rest'), asDevice('sdk')]);
    expect([rest.code, sdk.code]).toEqual([5, 5]);
    expect(rest.stderr).toContain('permission-denied');
    expect(sdk.stderr).toContain('permission-denied');
    const stateArgs = (transport: string) => ['get', 'devices/dev-rest/state', ...login('dev-rest'), ...stackFlags(stack), '--transport', transport];
    const [restState, sdkState] = await Promise.all([runCli(stateArgs('rest')), runCli(stateArgs('sdk'))]);
    expect(restState.json()).toEqual(sdkState.json());
    expect((restState.json() as { angle: number }).angle).toEqual(expect.any(Number));
  });

  it('fails clearly: bad credentials, a device it does not own, permission denied with the path, no server', async () => {
    const bad = await runCli(['run', '--device', 'dev-rest', '--email', creds.get('dev-rest')!.email, '--password', 'WRONG', ...stackFlags(stack), '--view', 'none']);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toMatch(/bad-credentials: sign-in of dev-rest@devices.firelink.local was refused: INVALID_(PASSWORD|LOGIN_CREDENTIALS)/);
    const notOwned = await runCli(['run', '--device', 'dev-other', ...login('dev-rest'), ...stackFlags(stack), '--view', 'none']);
    expect(notOwned.code).toBe(4);
    expect(notOwned.stderr).toContain('is device "dev-rest", not "dev-other"');
    const denied = await runCli(['set', 'devices/dev-other/status', '{"online":true,"lastSeen":1,"fw":"x"}', ...login('dev-rest'), ...stackFlags(stack)]);
    expect(denied.code).toBe(5);
    expect(denied.stderr).toContain('permission denied: PUT /devices/dev-other/status');
    const closedPort = await freePort();
    const down = await runCli(['get', 'devices/dev-rest/state', ...login('dev-rest'), '--database-emulator-host', stack.db.hostPort, '--auth-emulator-host', `127.0.0.1:${closedPort}`]);
    expect(down.code).toBe(6);
    expect(down.stderr).toContain(`unreachable: cannot reach http://127.0.0.1:${closedPort}/identitytoolkit.googleapis.com/v1/accounts:signInWithPassword?key=…: ECONNREFUSED`);
  });

  it('a device provisioned by the one provisioning CLI (firelink-provision) signs in with device-sim', async () => {
    const cli = join(import.meta.dirname, '..', '..', 'provisioning', 'bin', 'firelink-provision.js');
    const hosts = ['--auth-emulator-host', stack.auth.hostAndPort, '--database-emulator-host', stack.db.hostPort];
    const env = { ...process.env, GCLOUD_PROJECT: '', FIREBASE_AUTH_EMULATOR_HOST: '', FIREBASE_DATABASE_EMULATOR_HOST: '' };
    const made = await run(process.execPath, [cli, '--device', 'prov-1', '--owner', 'owner-1', '--zone', 'lab', ...hosts], { env });
    const { device } = JSON.parse(made.stdout) as { device: { deviceId: string; email: string; password: string; owner: string; zone: string } };
    expect(device).toMatchObject({ deviceId: 'prov-1', owner: 'owner-1', zone: 'lab', email: 'prov-1@devices.firelink.local' });
    expect(await stack.read('devices/prov-1/meta/owner')).toBe('owner-1');
    const config = await runCli(['get', 'devices/prov-1/config', '--email', device.email, '--password', device.password, ...stackFlags(stack)]);
    expect(config.code, config.stderr).toBe(0);
    expect(config.json()).toMatchObject({ sampleMs: expect.any(Number) });
    const again = await run(process.execPath, [cli, '--device', 'prov-1', '--owner', 'owner-1', ...hosts], { env });
    expect(JSON.parse(again.stdout)).toMatchObject({ status: 'already-exists' });
  });

  it('runs a small fleet from the command line as npm start does (provisioned on the fly), on both transports', async () => {
    for (const transport of ['rest', 'sdk']) {
      const result = await runCli([
        'fleet', '--count', '3', '--owner', 'demo-owner', '--prefix', `cli-${transport}`, '--transport', transport,
        '--rate', '2', '--duration-ms', '2000', '--stats-interval-ms', '1000', ...stackFlags(stack),
      ]);
      expect(result.code, result.stderr).toBe(0);
      const lines = result.stdout.split('\n');
      expect(lines.some((l) => /^online \d+\/3 \| readings\/s sent \d+ acked \d+ \| states\/s \d+ \| latency p50 .* p99 .* \| queued \d+ \| errors \d+$/.test(l))).toBe(true);
      const report = reportLine(result.stdout).report as { started: number; acked: number; mapped: number; queued: number; transport: string };
      expect(report).toMatchObject({ started: 3, queued: 0, transport });
      expect(report.acked).toBeGreaterThanOrEqual(9);
      expect(report.mapped).toBe(report.acked);
      expect(await stack.read(`users/demo-owner/devices/cli-${transport}-0001`)).toBe(true);
    }
  });
});

/** The command's final report: the JSON line on stdout that holds `report` (docs/device-sim.md "Output"). */
function reportLine(stdout: string): { report: unknown } {
  const line = stdout.split('\n').find((l) => l.startsWith('{"report"'));
  if (line === undefined) throw new Error(`no report line on stdout:\n${stdout}`);
  return JSON.parse(line) as { report: unknown };
}
