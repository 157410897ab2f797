// `npm start -- --shards 2` as a user runs it: two namespaces, the demo devices provisioned across
// them and online on their own shard (one over MQTT, which the gateway routes by the directory),
// the banner's Shards row, and every device offline at Ctrl-C.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually, freePort, portHolder } from '../src/index.js';
import { npmStart, processesMentioning, type NpmStart } from './support/npm-start.js';

const dataDir = mkdtempSync(join(tmpdir(), 'npm-start-shards-'));
let run: NpmStart | undefined;

afterAll(async () => {
  if (run !== undefined && processesMentioning(dataDir).length > 0) {
    run.interrupt();
    await run.exited;
  }
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm start -- --shards 2', () => {
  it('spreads the demo devices over two namespaces, MQTT ones too, says so in the banner, and stops them all', async () => {
    const [database, auth, hosting, mqtt, mqttWs] = [await freePort(), await freePort(), await freePort(), await freePort(), await freePort()];
    run = npmStart(
      ['--fresh', '--devices', '4', '--mqtt-fleet', '1', '--database-port', String(database), '--auth-port', String(auth), '--hosting-port', String(hosting),
        '--mqtt-port', String(mqtt), '--mqtt-ws-port', String(mqttWs), '--data-dir', dataDir],
      { FIRELINK_SHARDS: '2' },
    );
    const output = await run.waitFor(/Ctrl-C stops everything/);
    expect(output).toContain('Shards           2 instances as namespaces: demo-firelink-default-rtdb, demo-firelink-shard-1');
    expect(output).toContain('--shards 2');
    const json = async (path: string, ns: string) => (await fetch(`http://127.0.0.1:${database}/${path}.json?ns=${ns}&auth=owner`)).json() as Promise<unknown>;
    // Three over REST, provisioned first (2 + 1), then the MQTT one on the less loaded shard.
    expect(await json('deviceShards', 'demo-firelink-default-rtdb')).toEqual({
      'demo-0001': 'demo-firelink-default-rtdb',
      'demo-0002': 'demo-firelink-shard-1',
      'demo-0003': 'demo-firelink-default-rtdb',
      'demo-mqtt-0001': 'demo-firelink-shard-1',
    });
    // "up" waited for all online; each is online on its own shard.
    expect(await json('devices/demo-0001/status/online', 'demo-firelink-default-rtdb')).toBe(true);
    expect(await json('devices/demo-0002/status/online', 'demo-firelink-shard-1')).toBe(true);
    expect(await json('devices/demo-0002', 'demo-firelink-default-rtdb')).toBeNull();
    // The gateway wrote the MQTT device's status and readings on its shard, and nothing on the default.
    expect(await json('devices/demo-mqtt-0001/status/online', 'demo-firelink-shard-1')).toBe(true);
    await eventually('a reading of the MQTT device on its shard', async () => (await json('devices/demo-mqtt-0001/readings', 'demo-firelink-shard-1')) !== null, { timeoutMs: 15_000 });
    expect(await json('devices/demo-mqtt-0001', 'demo-firelink-default-rtdb')).toBeNull();

    run.interrupt();
    expect(await run.exited).toBe(0);
    expect(run.output()).toMatch(/4\/4 devices wrote offline/);
    expect(processesMentioning(dataDir)).toEqual([]);
    for (const port of [database, auth]) expect(portHolder(port), `port ${port}`).toBeNull();
    // A whole `npm start` (build check, four services, a fleet) and its stop: as npm-start.test.ts.
  }, 300_000);
});
