// The gateway against the local system with real MQTT clients over real sockets: sign in, readings
// to retained state, QoS 1 redelivery stored once, commands, last will, tokens, authorization and
// bad input. The rules and the functions are the repository's own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import { readingIdForSeq, startGateway, topics, type RunningGateway } from '../src/index.js';
import type { LogSink } from '../src/logs.js';
import { Inbox, RawClient, connectDevice } from './mqtt-clients.js';
import { eventually, retimeToken, startLocalStack, type LocalStack, type ProvisionedDevice } from './stack.js';

let stack: LocalStack;
let gateway: RunningGateway;
const logLines: Array<{ level: string; event: string; fields: Record<string, unknown> }> = [];
const clients: MqttClient[] = [];
const devices: Record<string, ProvisionedDevice> = {};
let seqBase = 0;

const sink: LogSink = { write: (level, event, fields) => logLines.push({ level, event, fields }) };

async function device(id: string): Promise<{ device: ProvisionedDevice; token: string }> {
  devices[id] ??= await stack.provisionDevice(id);
  const found = devices[id];
  return { device: found, token: await stack.signIn(found) };
}

async function open(id: string, options: Parameters<typeof connectDevice>[3] = {}): Promise<MqttClient> {
  const { token } = await device(id);
  const client = await connectDevice(gateway.mqttUrl, id, token, options);
  clients.push(client);
  return client;
}

function nextSeq(): number {
  seqBase += 10;
  // Tenths of a second since 2025-01-01, as device-sim does (docs/device-sim.md "seq"): fits a uint32.
  return Math.floor((Date.now() - Date.UTC(2025, 0, 1)) / 100) + seqBase;
}

async function readings(id: string): Promise<Record<string, { seq: number }>> {
  return ((await stack.admin.ref(`devices/${id}/readings`).get()).val() ?? {}) as Record<string, { seq: number }>;
}

beforeAll(async () => {
  stack = await startLocalStack();
  gateway = await startGateway({ mqttPort: 0, wsPort: 0, log: sink });
});

afterAll(async () => {
  await Promise.allSettled(clients.map((c) => c.endAsync(true)));
  await gateway?.stop();
  await stack?.stop();
});

describe('MQTT gateway', () => {
  it('signs in, stores a reading as the device and publishes the mapped state retained', async () => {
    const client = await open('gw-a');
    const inbox = new Inbox(client);
    await client.subscribeAsync(topics.state('gw-a'), { qos: 1 });
    const seq = nextSeq();
    await client.publishAsync(topics.readings('gw-a'), JSON.stringify({ ir: 2048, temp: 21.5, seq }), { qos: 1 });

    const stored = await eventually('the stored reading', async () => (await readings('gw-a'))[readingIdForSeq(seq)]);
    expect(stored).toMatchObject({ ir: 2048, temp: 21.5, seq });
    const state = await inbox.next((m) => m.topic === topics.state('gw-a') && JSON.parse(m.payload).seq === seq, `state of seq ${seq}`);
    expect(JSON.parse(state.payload)).toMatchObject({ ir: 2048, readingId: readingIdForSeq(seq), seq });

    // A second connection gets the state at once, as a retained message.
    const late = await open('gw-a');
    const lateInbox = new Inbox(late);
    await late.subscribeAsync(topics.state('gw-a'), { qos: 1 });
    const retained = await lateInbox.next((m) => m.topic === topics.state('gw-a'), 'the retained state');
    expect(retained.retain).toBe(true);
    expect(JSON.parse(retained.payload).seq).toBe(seq);

    const status = (await stack.admin.ref('devices/gw-a/status').get()).val();
    expect(status).toMatchObject({ online: true });
    expect(Math.abs(status.lastSeen - Date.now())).toBeLessThan(60_000);
  });

  it('stores a QoS 1 redelivery (DUP) once and acknowledges both', async () => {
    const { token } = await device('gw-dup');
    const raw = await RawClient.open(gateway.mqttPort);
    try {
      raw.send({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clean: true, clientId: 'gw-dup-raw', keepalive: 60, username: 'gw-dup', password: Buffer.from(token) });
      await eventually('CONNACK 0', () => raw.received.some((p) => p.cmd === 'connack' && p.returnCode === 0));
      const seq = nextSeq();
      const payload = Buffer.from(JSON.stringify({ ir: 100, seq }));
      raw.send({ cmd: 'publish', topic: topics.readings('gw-dup'), payload, qos: 1, messageId: 7, dup: false, retain: false });
      raw.send({ cmd: 'publish', topic: topics.readings('gw-dup'), payload, qos: 1, messageId: 7, dup: true, retain: false });
      // A resend after a reconnect carries a new packet id: still the same reading.
      raw.send({ cmd: 'publish', topic: topics.readings('gw-dup'), payload, qos: 1, messageId: 8, dup: false, retain: false });
      await eventually('three PUBACKs', () => raw.received.filter((p) => p.cmd === 'puback').length === 3);
      await stack.functionsIdle();
      const stored = Object.values(await readings('gw-dup')).filter((r) => r.seq === seq);
      expect(stored).toHaveLength(1);
      expect(Object.keys(await readings('gw-dup'))).toEqual([readingIdForSeq(seq)]);
    } finally {
      raw.close();
    }
  });

  it('delivers a command and writes the device\'s ack', async () => {
    const client = await open('gw-cmd');
    const inbox = new Inbox(client);
    await client.subscribeAsync(topics.commands('gw-cmd'), { qos: 1 });
    const createdAt = Date.now() - 1_000;
    await stack.admin.ref('devices/gw-cmd/commands/c-1').set({ type: 'set-angle', args: { angle: 45 }, createdAt });
    const message = await inbox.next((m) => m.topic === topics.commands('gw-cmd'), 'the command');
    expect(JSON.parse(message.payload)).toEqual({ id: 'c-1', type: 'set-angle', args: { angle: 45 }, createdAt });

    await client.publishAsync(topics.ack('gw-cmd', 'c-1'), JSON.stringify({ status: 'ok', value: 45 }), { qos: 1 });
    const stored = (await stack.admin.ref('devices/gw-cmd/commands/c-1').get()).val();
    expect(stored).toMatchObject({ type: 'set-angle', result: { status: 'ok', value: 45 } });
    expect(stored.ackAt).toBeGreaterThanOrEqual(createdAt);

    // A second ack is refused by the rules, and the device is told so.
    await expect(client.publishAsync(topics.ack('gw-cmd', 'c-1'), JSON.stringify({ status: 'ok' }), { qos: 1 })).rejects.toMatchObject({ code: 0x87 });
  });

  it('marks the device offline through its last will when the connection dies', async () => {
    const will = { topic: topics.status('gw-will'), payload: Buffer.from(JSON.stringify({ online: false, fw: '2.4.1' })), qos: 1 as const, retain: false };
    const client = await open('gw-will', { will, keepalive: 2 });
    await eventually('online', async () => (await stack.admin.ref('devices/gw-will/status/online').get()).val() === true);
    const diedAt = Date.now();
    client.stream.destroy(); // no DISCONNECT: the broker publishes the will
    const status = await eventually('offline', async () => {
      const value = (await stack.admin.ref('devices/gw-will/status').get()).val();
      return value?.online === false ? value : undefined;
    });
    expect(status.fw).toBe('2.4.1');
    expect(status.lastSeen).toBeGreaterThanOrEqual(diedAt - 1_000);
    expect(status.lastSeen - diedAt).toBeLessThan(10_000);
    expect(logLines.some((l) => l.event === 'last-will-written' && l.fields.deviceId === 'gw-will')).toBe(true);
  });

  it('refuses an expired token and a token of another device with bad credentials', async () => {
    const { token } = await device('gw-exp');
    const now = Math.floor(Date.now() / 1000);
    const expired = retimeToken(token, now - 60, now - 3_660);
    await expect(connectDevice(gateway.mqttUrl, 'gw-exp', expired)).rejects.toMatchObject({ code: 0x86 });
    await expect(connectDevice(gateway.mqttUrl, 'gw-exp', expired, { protocolVersion: 4 })).rejects.toMatchObject({ code: 4 });
    await expect(connectDevice(gateway.mqttUrl, 'gw-a', token)).rejects.toMatchObject({ code: 0x86 });
    await expect(connectDevice(gateway.mqttUrl, 'gw-exp', 'not-a-token')).rejects.toMatchObject({ code: 0x86 });
    const refused = logLines.filter((l) => l.event === 'connect-refused');
    expect(refused.some((l) => l.fields.deviceId === 'gw-exp' && /id-token-expired/.test(String(l.fields.reason)))).toBe(true);
    expect(refused.some((l) => l.fields.deviceId === 'gw-a' && /device claim is "gw-exp"/.test(String(l.fields.reason)))).toBe(true);
  });

  it('closes the session when its token expires, and a renewed token keeps it', async () => {
    const { token } = await device('gw-ttl');
    const now = Math.floor(Date.now() / 1000);
    // Valid for 8 s; the session closes 5 s before expiry (tokenExpiryMarginMs).
    const shortLived = retimeToken(token, now + 8, now);
    const client = await connectDevice(gateway.mqttUrl, 'gw-ttl', shortLived);
    clients.push(client);
    const disconnect = new Promise<number | undefined>((resolve) => client.once('disconnect', (packet) => resolve(packet.reasonCode)));
    expect(await disconnect).toBe(0xa0);
    await eventually('offline after expiry', async () => (await stack.admin.ref('devices/gw-ttl/status/online').get()).val() === false);

    const renewed = await connectDevice(gateway.mqttUrl, 'gw-ttl', retimeToken(token, Math.floor(Date.now() / 1000) + 8, now));
    clients.push(renewed);
    await renewed.publishAsync(topics.auth('gw-ttl'), token, { qos: 1 });
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    expect(renewed.connected).toBe(true);
    expect(logLines.some((l) => l.event === 'token-renewed' && l.fields.deviceId === 'gw-ttl')).toBe(true);
  });

  it('refuses another device\'s topics without writing, and keeps the session', async () => {
    const client = await open('gw-b');
    const seq = nextSeq();
    await expect(client.publishAsync(topics.readings('gw-a'), JSON.stringify({ ir: 1, seq }), { qos: 1 })).rejects.toMatchObject({ code: 0x87 });
    await expect(client.publishAsync(topics.state('gw-b'), JSON.stringify({ angle: 1 }), { qos: 1 })).rejects.toMatchObject({ code: 0x87 });
    // MQTT 5 SUBACK 0x87 (Not authorized); MQTT.js rejects the subscription with it.
    await expect(client.subscribeAsync(topics.state('gw-a'), { qos: 1 })).rejects.toThrow(/Not authorized/);
    expect(Object.values(await readings('gw-a')).some((r) => r.seq === seq)).toBe(false);
    expect(client.connected).toBe(true);
    await client.publishAsync(topics.readings('gw-b'), JSON.stringify({ ir: 1, seq }), { qos: 1 });
    expect(logLines.some((l) => l.event === 'publish-refused' && l.fields.deviceId === 'gw-b' && l.fields.topic === topics.readings('gw-a'))).toBe(true);
  });

  it('refuses bad input with MQTT 5 reason codes, writes nothing and keeps the session', async () => {
    const client = await open('gw-bad');
    const before = Object.keys(await readings('gw-bad')).length;
    await expect(client.publishAsync(topics.readings('gw-bad'), '{"ir": 1,', { qos: 1 })).rejects.toMatchObject({ code: 0x99 });
    await expect(client.publishAsync(topics.readings('gw-bad'), JSON.stringify({ ir: 9000, seq: nextSeq() }), { qos: 1 })).rejects.toMatchObject({ code: 0x99 });
    await expect(client.publishAsync(topics.readings('gw-bad'), JSON.stringify({ ir: 1, seq: nextSeq(), pad: 'x'.repeat(2_000) }), { qos: 1 })).rejects.toMatchObject({ code: 0x99 });
    await expect(client.publishAsync('firelink/devices/gw-bad/nonsense', '{}', { qos: 1 })).rejects.toMatchObject({ code: 0x90 });
    expect(client.connected).toBe(true);
    expect(Object.keys(await readings('gw-bad')).length).toBe(before);
    const refusal = logLines.find((l) => l.event === 'publish-refused' && l.fields.deviceId === 'gw-bad' && /reading.ir/.test(String(l.fields.reason)));
    expect(refusal?.fields).toMatchObject({ reasonCode: 'payloadFormatInvalid', reason: 'reading.ir: must be an integer between 0 and 4095 (got 9000)' });

    // MQTT 3.1.1 has no negative PUBACK: the publish is acknowledged, dropped, and the session stays.
    const v3 = await open('gw-bad', { protocolVersion: 4 });
    await v3.publishAsync(topics.readings('gw-bad'), 'not json', { qos: 1 });
    expect(v3.connected).toBe(true);
    expect(Object.keys(await readings('gw-bad')).length).toBe(before);
  });

  it('closes a session that keeps sending refused publishes', async () => {
    const client = await open('gw-abuse');
    const disconnect = new Promise<number | undefined>((resolve) => client.once('disconnect', (packet) => resolve(packet.reasonCode)));
    for (let i = 0; i <= gateway.config.strikeLimit; i += 1) client.publish(topics.readings('gw-abuse'), 'junk', { qos: 0 });
    expect(await disconnect).toBe(0x97);
    expect(logLines.some((l) => l.event === 'abuse-disconnect' && l.fields.deviceId === 'gw-abuse')).toBe(true);
  });

  it('serves MQTT over WebSocket', async () => {
    const { token } = await device('gw-ws');
    const client = await connectDevice(gateway.wsUrl, 'gw-ws', token);
    clients.push(client);
    const inbox = new Inbox(client);
    await client.subscribeAsync(`firelink/devices/gw-ws/#`, { qos: 1 });
    const seq = nextSeq();
    await client.publishAsync(topics.readings('gw-ws'), JSON.stringify({ ir: 4000, seq }), { qos: 1 });
    const state = await inbox.next((m) => m.topic === topics.state('gw-ws') && JSON.parse(m.payload).seq === seq, 'state over WebSocket');
    expect(JSON.parse(state.payload).ir).toBe(4000);
    // The wildcard subscription also brought the retained config; readings are never echoed.
    expect(inbox.messages.some((m) => m.topic === topics.config('gw-ws'))).toBe(true);
    expect(inbox.messages.some((m) => m.topic === topics.readings('gw-ws'))).toBe(false);
  });

  it('is stateless: a second instance serves the same device, and a resend through it is stored once', async () => {
    const second = await startGateway({ mqttPort: 0, wsPort: 0, log: sink });
    try {
      const viaFirst = await open('gw-two');
      const seq = nextSeq();
      const reading = JSON.stringify({ ir: 1234, seq });
      await viaFirst.publishAsync(topics.readings('gw-two'), reading, { qos: 1 });

      const { token } = await device('gw-two');
      const viaSecond = await connectDevice(second.mqttUrl, 'gw-two', token);
      clients.push(viaSecond);
      const inbox = new Inbox(viaSecond);
      await viaSecond.subscribeAsync(topics.state('gw-two'), { qos: 1 });
      const state = await inbox.next((m) => m.topic === topics.state('gw-two') && m.payload !== '' && JSON.parse(m.payload).seq === seq, 'the state through the second instance');
      expect(JSON.parse(state.payload).ir).toBe(1234);

      // The device resends the same reading to the other instance (e.g. after a reconnect through the load balancer).
      await viaSecond.publishAsync(topics.readings('gw-two'), reading, { qos: 1 });
      expect(Object.values(await readings('gw-two')).filter((r) => r.seq === seq)).toHaveLength(1);
      expect(logLines.some((l) => l.event === 'reading-already-stored' && l.fields.deviceId === 'gw-two')).toBe(true);
    } finally {
      await second.stop();
    }
  });
});
