// A device follows its shard (docs/scaling.md "How: the shard design"): two namespaces of the one
// emulator are two instances. While the CLI device runs, this test moves it the way the move
// command does (model/src/shard-move.ts): copy its data to the shard, switch the directory entry,
// send `reconnect` on the old shard, delta-copy the readings that landed there meanwhile. The
// device must ack on the old shard, move, and every reading must end up once on the new shard,
// mapped there by the functions.
import { DEFAULT_MAPPING, deviceMovePlan, deviceShardPath, devicePath, mapReadingToAngle, readingsDelta, rollupsPath, type DeviceSnapshot } from '@firelink/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, functionsMissing, NAMESPACE, PROJECT, startStack, tempDir, type Stack } from './support/stack.js';
import { runCli, stackFlags } from './support/cli.js';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';

const missing = functionsMissing();
if (missing) console.warn(`[device-sim] SKIPPING shard move tests: ${missing}`);

const SHARD = `${PROJECT}-shard-1`;
type Reading = { ir: number; seq: number; ts?: number };
type DeviceNode = { readings?: Record<string, Reading>; state?: { readingId: string; angle: number; seq: number }; status?: { online: boolean; lastSeen: number }; commands?: Record<string, { ackAt?: number; result?: { status: string } }> };

describe.skipIf(missing !== null)('a device follows its shard', () => {
  let stack: Stack;
  const dir = tempDir('shard');

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  async function admin(method: string, ns: string, path: string, body?: unknown): Promise<unknown> {
    const res = await fetch(`${stack.db.url}/${path}.json?ns=${ns}`, {
      method,
      headers: { authorization: 'Bearer owner' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!res.ok) throw new Error(`${method} ${path} on ${ns}: HTTP ${res.status} ${await res.text()}`);
    return (await res.json()) as unknown;
  }
  const device = async (ns: string, id: string) => ((await admin('GET', ns, devicePath(id))) ?? {}) as DeviceNode;
  const readingIds = async (ns: string, id: string) => Object.keys((await device(ns, id)).readings ?? {}).sort();

  describe.each(['rest', 'sdk'] as const)('transport %s', (transport) => {
    const id = `dev-move-${transport}`;

    it('acks reconnect on the old shard, moves, and delivers every reading once on the new one', async () => {
      const creds = await stack.provision(id);
      const credentialsFile = join(dir, `${id}.json`);
      // What provisioning prints: the shard it chose (here still the default instance) and the directory.
      const directoryUrl = `${stack.db.url}/?ns=${NAMESPACE}`;
      writeFileSync(credentialsFile, JSON.stringify({ ...creds, databaseUrl: directoryUrl, directoryUrl }));
      const running = runCli([
        'run', '--device', id, '--credentials-file', credentialsFile, ...stackFlags(stack), '--transport', transport,
        '--duration-ms', '9000', '--sample-ms', '200', '--view', 'none', '--seed', '3', '--queue-file', join(dir, `${id}-queue.json`),
      ]);

      // 1. copy, once the device has written a few readings on its first shard
      await eventually('readings on the first shard', async () => (await readingIds(NAMESPACE, id)).length >= 3);
      const snapshot: DeviceSnapshot = { device: (await device(NAMESPACE, id)) as Record<string, unknown>, rollups: (await admin('GET', NAMESPACE, rollupsPath(id))) as Record<string, unknown> | null };
      const plan = deviceMovePlan(id, NAMESPACE, SHARD, snapshot);
      await admin('PATCH', SHARD, '', plan.copy);
      const copiedStatus = (snapshot.device as DeviceNode).status?.lastSeen ?? 0;
      // 2. switch the directory and tell the device on its old shard
      await admin('PATCH', NAMESPACE, '', plan.switchDirectory);
      const command = (await admin('POST', NAMESPACE, `${devicePath(id)}/commands`, { type: 'reconnect', createdAt: { '.sv': 'timestamp' } })) as { name: string };
      await eventually('reconnect acked on the old shard', async () => (await device(NAMESPACE, id)).commands?.[command.name]?.ackAt !== undefined);
      expect((await device(NAMESPACE, id)).commands?.[command.name]?.result).toEqual({ status: 'ok', message: 'reconnecting to the shard of the directory' });
      await eventually('status written on the new shard', async () => ((await device(SHARD, id)).status?.lastSeen ?? 0) > copiedStatus);
      // 3. what reached the old shard between copy and reconnect
      const sourceAfterMove = await readingIds(NAMESPACE, id);
      const delta = readingsDelta(id, snapshot, (await device(NAMESPACE, id)).readings ?? null);
      if (Object.keys(delta).length > 0) await admin('PATCH', SHARD, '', delta);

      const result = await running;
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toMatch(/"event":"shard-moved"/);
      expect(result.stderr).not.toMatch(/"level":"error"/);
      const report = JSON.parse(result.stdout.split('\n').find((l) => l.startsWith('{"report"'))!) as { report: { taken: number; acked: number; queued: number } };
      expect(report.report.acked).toBe(report.report.taken);
      expect(report.report.queued).toBe(0);

      await stack.idle();
      // Nothing landed on the old shard after the device moved; every reading is on the new one once.
      expect(await readingIds(NAMESPACE, id)).toEqual(sourceAfterMove);
      const target = await device(SHARD, id);
      const readings = Object.entries(target.readings ?? {});
      expect(readings.length).toBe(report.report.taken);
      expect(new Set(readings.map(([, r]) => r.seq)).size).toBe(readings.length);
      expect(readings.length).toBeGreaterThan(sourceAfterMove.length);
      // ... and mapped by the functions on that shard.
      for (const [, r] of readings) expect(typeof r.ts).toBe('number');
      const newest = readings.reduce((a, b) => (b[1].seq > a[1].seq ? b : a));
      expect(target.state?.readingId).toBe(newest[0]);
      expect(target.state?.angle).toBe(mapReadingToAngle(newest[1].ir, DEFAULT_MAPPING));
      expect(target.status?.online).toBe(false);

      // At the next boot the directory sends it straight to its shard, whatever the credentials say.
      const again = await runCli([
        'run', '--device', id, '--credentials-file', credentialsFile, ...stackFlags(stack), '--transport', transport,
        '--duration-ms', '1500', '--sample-ms', '200', '--view', 'none', '--queue-file', join(dir, `${id}-queue.json`),
      ]);
      expect(again.code, again.stderr).toBe(0);
      const second = JSON.parse(again.stdout.split('\n').find((l) => l.startsWith('{"report"'))!) as { report: { taken: number } };
      expect(second.report.taken).toBeGreaterThan(0);
      expect((await readingIds(SHARD, id)).length).toBe(report.report.taken + second.report.taken);
      expect(await readingIds(NAMESPACE, id)).toEqual(sourceAfterMove);
      expect(await admin('GET', NAMESPACE, deviceShardPath(id))).toBe(SHARD);
    });
  });
});
