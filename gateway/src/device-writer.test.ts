import { describe, expect, it } from 'vitest';
import { DeviceWriter } from './device-writer.js';

type Reply = { status: number; body?: string } | Error;

function writerWith(replies: Reply[], attempts = 3) {
  const requests: Array<{ url: string; method: string; body: string }> = [];
  const sleeps: number[] = [];
  const request = async (method: string, url: string, body: string) => {
    requests.push({ url, method, body });
    const reply = replies.shift() ?? { status: 500 };
    if (reply instanceof Error) throw reply;
    return { status: reply.status, text: reply.body ?? '' };
  };
  const writer = new DeviceWriter({
    databaseOrigin: 'http://127.0.0.1:9000',
    namespace: 'demo-firelink-default-rtdb',
    emulated: true,
    timeoutMs: 1_000,
    attempts,
    connections: 4,
    request,
    sleep: async (ms) => void sleeps.push(ms),
  });
  return { writer, requests, sleeps };
}

describe('DeviceWriter', () => {
  it('writes to the device\'s shard: another namespace on the emulator, another host in production', async () => {
    const { writer, requests } = writerWith([{ status: 204 }]);
    await writer.put('devices/d1/status', {}, 'T', 'demo-firelink-shard-1');
    expect(requests[0]?.url).toBe('http://127.0.0.1:9000/devices/d1/status.json?auth=T&print=silent&ns=demo-firelink-shard-1');
    const production = new DeviceWriter({
      databaseOrigin: 'https://p-default-rtdb.europe-west1.firebasedatabase.app',
      namespace: 'p-default-rtdb',
      emulated: false,
      timeoutMs: 1_000,
      attempts: 1,
      connections: 1,
    });
    expect(production.url('devices/d1', 'T', 'p-shard-2')).toBe('https://p-shard-2.europe-west1.firebasedatabase.app/devices/d1.json?auth=T&print=silent');
    expect(production.url('devices/d1', 'T')).toBe('https://p-default-rtdb.europe-west1.firebasedatabase.app/devices/d1.json?auth=T&print=silent');
  });

  it('writes with the device\'s token, silently, in the emulator namespace', async () => {
    const { writer, requests } = writerWith([{ status: 204 }]);
    expect(await writer.put('devices/d1/readings/mq-----1', { ir: 1, seq: 1 }, 'TOKEN')).toEqual({ ok: true });
    expect(requests).toEqual([
      { url: 'http://127.0.0.1:9000/devices/d1/readings/mq-----1.json?auth=TOKEN&print=silent&ns=demo-firelink-default-rtdb', method: 'PUT', body: '{"ir":1,"seq":1}' },
    ]);
  });

  it('tells a rules refusal from a refused token (docs/device-sim.md "The REST protocol")', async () => {
    const denied = writerWith([{ status: 401, body: '{"error":"Permission denied"}' }]);
    expect(await denied.writer.patch('devices/d1/status', { online: true }, 'T')).toMatchObject({ ok: false, kind: 'denied' });
    const refused = writerWith([{ status: 401, body: '{"error":"Auth token is expired"}' }]);
    expect(await refused.writer.put('devices/d1/status', {}, 'T')).toMatchObject({ ok: false, kind: 'token-refused' });
    const bad = writerWith([{ status: 400, body: '{"error":"Invalid data"}' }]);
    expect(await bad.writer.put('devices/d1/status', {}, 'T')).toMatchObject({ ok: false, kind: 'bad-request' });
    expect(denied.requests).toHaveLength(1);
  });

  it('retries an unreachable database with backoff, then reports it', async () => {
    const flaky = writerWith([new Error('ECONNREFUSED'), { status: 503 }, { status: 204 }]);
    expect(await flaky.writer.put('devices/d1/status', {}, 'T')).toEqual({ ok: true });
    expect(flaky.sleeps).toEqual([200, 400]);
    const down = writerWith([new Error('ECONNREFUSED'), new Error('ECONNREFUSED')], 2);
    expect(await down.writer.put('devices/d1/status', {}, 'T')).toMatchObject({ ok: false, kind: 'unavailable', message: expect.stringContaining('ECONNREFUSED') });
  });
});
