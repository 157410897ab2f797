// The gateway routes each MQTT device by the shard directory (docs/scaling.md "How: the shard
// design"): two namespaces of the one emulator are two instances. A device is moved the way the
// move command does it (model/src/shard-move.ts): copy, switch `deviceShards/{id}`, `reconnect` on
// the old shard. The gateway acks it there itself, and from then on writes and feeds use the new shard.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import { getDatabaseWithUrl, type Database } from 'firebase-admin/database';
import { deviceMovePlan, deviceShardPath } from '@firelink/model';
import { readingIdForSeq, startGateway, topics, type RunningGateway } from '../src/index.js';
import type { LogSink } from '../src/logs.js';
import { Inbox, connectDevice } from './mqtt-clients.js';
import { eventually, startLocalStack, type LocalStack, type ProvisionedDevice } from './stack.js';

let stack: LocalStack;
let gateway: RunningGateway;
let shard: Database;
let shardName: string;
const logLines: Array<{ level: string; event: string; fields: Record<string, unknown> }> = [];
const clients: MqttClient[] = [];
const sink: LogSink = { write: (level, event, fields) => logLines.push({ level, event, fields }) };
let seqBase = 0;

function nextSeq(): number {
  seqBase += 10;
  return Math.floor((Date.now() - Date.UTC(2025, 0, 1)) / 100) + seqBase;
}

async function open(device: ProvisionedDevice): Promise<MqttClient> {
  const client = await connectDevice(gateway.mqttUrl, device.deviceId, await stack.signIn(device));
  clients.push(client);
  return client;
}

const value = async (db: Database, path: string) => (await db.ref(path).get()).val() as unknown;

beforeAll(async () => {
  stack = await startLocalStack();
  shardName = `${stack.projectId}-shard-1`;
  shard = getDatabaseWithUrl(`http://${stack.hosts.database}?ns=${shardName}`, stack.admin.app);
  gateway = await startGateway({ mqttPort: 0, wsPort: 0, log: sink });
});

afterAll(async () => {
  await Promise.allSettled(clients.map((c) => c.endAsync(true)));
  await gateway?.stop();
  await stack?.stop();
});

describe('gateway routing by the shard directory', () => {
  it('acks reconnect on the old shard, then writes and feeds the device on the new one', async () => {
    const id = 'gw-shard-move';
    const device = await stack.provisionDevice(id);
    const client = await open(device);
    const inbox = new Inbox(client);
    await client.subscribeAsync(`firelink/devices/${id}/#`, { qos: 1 });
    const first = nextSeq();
    await client.publishAsync(topics.readings(id), JSON.stringify({ ir: 1000, seq: first }), { qos: 1 });
    await eventually('the first reading on the default instance', async () => (await value(stack.admin, `devices/${id}/readings/${readingIdForSeq(first)}`)) !== null);
    await stack.functionsIdle();

    // The move: copy, switch the directory, `reconnect` on the old shard.
    const plan = deviceMovePlan(id, stack.namespace, shardName, { device: (await value(stack.admin, `devices/${id}`)) as Record<string, unknown>, rollups: null });
    await shard.ref().update(plan.copy);
    await stack.admin.ref().update(plan.switchDirectory);
    const copiedSeen = ((await value(shard, `devices/${id}/status`)) as { lastSeen: number }).lastSeen;
    await stack.admin.ref(`devices/${id}/commands/c-move`).set({ type: 'reconnect', createdAt: Date.now() - 1_000 });

    const acked = await eventually('the reconnect acked on the old shard', async () => {
      const command = (await value(stack.admin, `devices/${id}/commands/c-move`)) as { ackAt?: number; result?: { status: string } };
      return command.ackAt !== undefined ? command : undefined;
    });
    expect(acked.result).toMatchObject({ status: 'ok' });
    await eventually('online on the new shard', async () => ((await value(shard, `devices/${id}/status`)) as { lastSeen: number; online: boolean }).lastSeen > copiedSeen);
    expect(logLines.some((l) => l.event === 'device-shard-moved' && l.fields.to === shardName)).toBe(true);

    // The next reading lands on the new shard only, and its state comes back from there.
    const second = nextSeq();
    await client.publishAsync(topics.readings(id), JSON.stringify({ ir: 3000, seq: second }), { qos: 1 });
    const state = await inbox.next((m) => m.topic === topics.state(id) && m.payload !== '' && JSON.parse(m.payload).seq === second, 'the state of the reading on the new shard');
    expect(JSON.parse(state.payload)).toMatchObject({ readingId: readingIdForSeq(second), ir: 3000 });
    expect(await value(shard, `devices/${id}/readings/${readingIdForSeq(second)}`)).toMatchObject({ seq: second });
    expect(await value(stack.admin, `devices/${id}/readings/${readingIdForSeq(second)}`)).toBeNull();

    // Commands now come from the new shard; the reconnect itself never reached the device.
    await shard.ref(`devices/${id}/commands/c-after`).set({ type: 'set-angle', args: { angle: 30 }, createdAt: Date.now() - 500 });
    const command = await inbox.next((m) => m.topic === topics.commands(id), 'a command from the new shard');
    expect(JSON.parse(command.payload)).toMatchObject({ id: 'c-after', type: 'set-angle' });
    expect(inbox.messages.some((m) => m.topic === topics.commands(id) && m.payload.includes('reconnect'))).toBe(false);
    await client.publishAsync(topics.ack(id, 'c-after'), JSON.stringify({ status: 'ok' }), { qos: 1 });
    expect(await value(shard, `devices/${id}/commands/c-after/result`)).toEqual({ status: 'ok' });
  });

  it('reads the directory at connect, so the first publish already goes to the shard', async () => {
    const id = 'gw-shard-boot';
    const device = await stack.provisionDevice(id);
    const plan = deviceMovePlan(id, stack.namespace, shardName, { device: (await value(stack.admin, `devices/${id}`)) as Record<string, unknown>, rollups: null });
    await shard.ref().update(plan.copy);
    await stack.admin.ref().update(plan.switchDirectory);
    expect(await value(stack.admin, deviceShardPath(id))).toBe(shardName);

    const client = await open(device);
    const seq = nextSeq();
    await client.publishAsync(topics.readings(id), JSON.stringify({ ir: 10, seq }), { qos: 1 });
    expect(await value(shard, `devices/${id}/readings/${readingIdForSeq(seq)}`)).toMatchObject({ seq });
    expect(await value(stack.admin, `devices/${id}/readings`)).toBeNull();
    await eventually('online on the shard', async () => (await value(shard, `devices/${id}/status/online`)) === true);
  });
});
