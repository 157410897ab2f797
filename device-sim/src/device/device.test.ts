import { formatLcd, mapReadingToAngle, type ReadingWrite } from '@firelink/model';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import { SimulatedDevice } from './device.js';
import { deviceLogs, type LogSink } from '../logs.js';
import { pushIds } from './live-device.js';
import { MemoryQueueStore, OfflineQueue } from './queue.js';
import { seededRandom } from '../random.js';
import { SignalGenerator } from './signal.js';
import { FakeTransport } from './fake-transport.js';
import type { ShardAnswer } from './shard-follower.js';

async function setup(
  options: { maxQueued?: number; store?: MemoryQueueStore<ReadingWrite>; streams?: 'all' | 'state'; shards?: { follow(): Promise<ShardAnswer> }; directoryPending?: boolean } = {},
) {
  const clock = new ManualClock();
  const transport = new FakeTransport();
  const lines: { level: string; event: string; fields: Record<string, unknown> }[] = [];
  const sink: LogSink = { write: (level, event, fields) => lines.push({ level, event, fields }) };
  const logs = deviceLogs(sink, 'dev-1');
  const store = options.store ?? new MemoryQueueStore<ReadingWrite>();
  const queue = await OfflineQueue.open<ReadingWrite>({
    store,
    maxItems: options.maxQueued ?? 1_000,
    persistDelayMs: 0,
    events: { onDrop: (ids, max) => logs.readingsDropped(ids, max), onPersistError: () => {} },
    setTimer: (fn, ms) => clock.setTimeout(fn, ms),
  });
  const metrics = { sent: 0, acked: 0, errors: 0, states: 0, latencies: [] as number[] };
  const random = seededRandom(42);
  const device = new SimulatedDevice({
    deviceId: 'dev-1',
    fw: 'sim-0.1.0',
    transport,
    queue,
    signal: new SignalGenerator({ random }),
    nextPushId: pushIds(random),
    clock,
    random,
    logs,
    sendWindow: 1,
    streams: options.streams ?? 'all',
    backoff: { baseMs: 200, maxMs: 2_000 },
    maybeSent: queue.peek(queue.size).map((i) => i.id),
    ...(options.shards ? { shards: options.shards, directoryPending: options.directoryPending ?? false } : {}),
    metrics: {
      sent: (n) => void (metrics.sent += n),
      acked: () => void (metrics.acked += 1),
      error: () => void (metrics.errors += 1),
      stateReceived: (latencyMs) => {
        metrics.states += 1;
        if (latencyMs !== null) metrics.latencies.push(latencyMs);
      },
    },
  });
  // The backend's reading function, in miniature: map the reading, write state.
  transport.onWrite = (path, value) => {
    const m = /^devices\/dev-1\/readings\/(.+)$/.exec(path);
    if (!m) return;
    const reading = value as ReadingWrite;
    const angle = mapReadingToAngle(reading.ir);
    queueMicrotask(() =>
      transport.serverWrite('devices/dev-1/state', { angle, ir: reading.ir, readingId: m[1]!, seq: reading.seq, lcd: formatLcd({ ir: reading.ir, angle }), ts: 1 }),
    );
  };
  const readings = () => Object.entries((transport.tree as any)?.devices?.['dev-1']?.readings ?? {}) as [string, ReadingWrite][];
  return { clock, transport, device, queue, store, metrics, lines, readings };
}

describe('SimulatedDevice', () => {
  it('samples at sampleMs, writes readings under push ids and shows the mapped state', async () => {
    const { clock, device, transport, metrics, readings } = await setup();
    await device.start();
    await clock.advance(10_000);
    expect(readings().length).toBe(10);
    for (const [id, r] of readings()) {
      expect(id).toMatch(/^[-0-9A-Za-z_]{20}$/);
      expect(Object.keys(r).sort()).toEqual(['deviceTs', 'ir', 'light', 'seq', 'temp']);
    }
    const seqs = readings().map(([, r]) => r.seq);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    const last = readings().at(-1)![1];
    expect(device.view.angle).toBe(mapReadingToAngle(last.ir));
    expect(device.view.lcd).toEqual(formatLcd({ ir: last.ir, angle: mapReadingToAngle(last.ir) }));
    expect(metrics.acked).toBe(10);
    expect(metrics.latencies.length).toBe(10);
    expect(transport.writes.some((w) => w.path === 'devices/dev-1/status' && (w.value as { online: boolean }).online)).toBe(true);
    await device.stop();
  });

  it('queues readings while offline and sends each exactly once after reconnect', async () => {
    const { clock, device, transport, queue, readings, lines } = await setup();
    await device.start();
    await clock.advance(3_000);
    transport.setOffline(true);
    await clock.advance(20_000);
    expect(readings().length).toBe(3);
    expect(queue.size).toBeGreaterThanOrEqual(19);
    expect(lines.some((l) => l.event === 'offline')).toBe(true);
    transport.setOffline(false);
    await clock.advance(5_000);
    expect(queue.size).toBe(0);
    expect(readings().length).toBe(28);
    const writes = transport.writes.filter((w) => w.path.includes('/readings/')).map((w) => w.path);
    expect(new Set(writes).size).toBe(writes.length);
    expect(lines.some((l) => l.event === 'backlog-sent')).toBe(true);
    await device.stop();
  });

  it('drops only the oldest readings past the bound, with a warning', async () => {
    const { clock, device, transport, queue, lines } = await setup({ maxQueued: 5 });
    transport.setOffline(true);
    await device.start();
    await clock.advance(8_000);
    expect(queue.size).toBe(5);
    expect(lines.filter((l) => l.event === 'queue-full-dropped-oldest').length).toBe(3);
    await device.stop();
  });

  it('treats a refused replay of a reading from before a restart as stored', async () => {
    const store = new MemoryQueueStore<ReadingWrite>();
    store.items = [{ id: '-OLD0000000000000001', value: { ir: 5, seq: 1, deviceTs: 1 } }];
    const { clock, device, transport, queue, lines } = await setup({ store });
    transport.denyWrite = (path) => path.endsWith('-OLD0000000000000001');
    await device.start();
    await clock.advance(100);
    expect(queue.has('-OLD0000000000000001')).toBe(false);
    expect(lines.some((l) => l.event === 'reading-already-stored')).toBe(true);
    expect(lines.some((l) => l.event === 'reading-rejected')).toBe(false);
    await device.stop();
  });

  it('reads back a refused reading: stored with the same seq means acknowledged (an SDK resend)', async () => {
    const { clock, device, transport, queue, lines, metrics } = await setup();
    transport.storeThenDeny = (path) => path.includes('/readings/');
    await device.start();
    await clock.advance(3_000);
    expect(metrics.acked).toBe(3);
    expect(metrics.errors).toBe(0);
    expect(queue.size).toBe(0);
    expect(lines.filter((l) => l.event === 'reading-already-stored').length).toBe(3);
    expect(lines.some((l) => l.event === 'reading-rejected')).toBe(false);
    await device.stop();
  });

  it('still counts a refused reading that is not stored (or stored with another seq) as rejected', async () => {
    const { clock, device, transport, lines, metrics } = await setup();
    transport.serverWrite('devices/dev-1/readings/-TAKEN', { ir: 1, seq: 999_999 });
    transport.denyWrite = (path) => path.includes('/readings/');
    await device.start();
    await clock.advance(2_000);
    expect(lines.filter((l) => l.event === 'reading-rejected').length).toBe(2);
    expect(lines.some((l) => l.event === 'reading-already-stored')).toBe(false);
    expect(metrics.errors).toBe(2);
    await device.stop();
  });

  it('obeys config changes and acknowledges commands in one update', async () => {
    const { clock, device, transport, readings } = await setup();
    await device.start();
    transport.serverWrite('devices/dev-1/config', { mapping: { inMin: 0, inMax: 4095, outMin: 0, outMax: 180, invert: false }, sampleMs: 250, heartbeatMs: 5_000 });
    await clock.advance(2_000);
    expect(device.view.sampleMs).toBe(250);
    expect(readings().length).toBe(8);
    transport.serverWrite('devices/dev-1/commands/-CMD1', { type: 'set-angle', args: { angle: 33 }, createdAt: 1 });
    transport.serverWrite('devices/dev-1/commands/-CMD2', { type: 'bogus', createdAt: 1 });
    await clock.advance(10);
    const acks = transport.writes.filter((w) => w.method === 'update' && w.path.includes('/commands/'));
    expect(acks.map((a) => a.path)).toEqual(['devices/dev-1/commands/-CMD1', 'devices/dev-1/commands/-CMD2']);
    expect(acks[0]!.value).toEqual({ ackAt: { '.sv': 'timestamp' }, result: { status: 'ok', message: 'servo at 33 deg' } });
    expect((acks[1]!.value as any).result.status).toBe('unsupported');
    // Acked commands are not executed twice when the listen fires again.
    transport.serverWrite('devices/dev-1/config/sampleMs', 300);
    await clock.advance(10);
    expect(transport.writes.filter((w) => w.method === 'update').length).toBe(2);
    await device.stop();
  });

  it('after a reboot command, a reconnect still flushes the queue at once and writes status', async () => {
    const { clock, device, transport, queue } = await setup();
    await device.start();
    transport.serverWrite('devices/dev-1/commands/-CMD1', { type: 'reboot', createdAt: 1 });
    await clock.advance(10);
    expect(device.view.lcd).toEqual(formatLcd({}));
    transport.setOffline(true);
    // Long enough offline for the backoff to grow past what the reconnect check waits below.
    await clock.advance(30_000);
    expect(queue.size).toBeGreaterThan(0);
    const statusWrites = () => transport.writes.filter((w) => w.path === 'devices/dev-1/status').length;
    const before = statusWrites();
    transport.setOffline(false);
    await clock.advance(10);
    expect(queue.size).toBe(0);
    expect(statusWrites()).toBe(before + 1);
    await device.stop();
  });

  it('gives up on an ack the rules refuse instead of retrying it at every change', async () => {
    const { clock, device, transport, lines } = await setup();
    transport.denyWrite = (path) => path.includes('/commands/');
    await device.start();
    // As an admin write that skipped validation could leave it: calibrate without args.bound.
    transport.serverWrite('devices/dev-1/commands/-CMD1', { type: 'calibrate', createdAt: 1 });
    await clock.advance(10);
    for (let i = 0; i < 3; i += 1) {
      transport.serverWrite('devices/dev-1/commands/-CMD2', { type: 'identify', createdAt: i + 1 });
      await clock.advance(10);
    }
    expect(lines.filter((l) => l.event === 'command-ack-failed' && l.fields.commandId === '-CMD1').length).toBe(1);
    await device.stop();
  });

  it('keeps the previous config when the new one is invalid', async () => {
    const { clock, device, transport, lines } = await setup();
    await device.start();
    transport.serverWrite('devices/dev-1/config', { sampleMs: 5 });
    await clock.advance(10);
    expect(device.view.sampleMs).toBe(1_000);
    expect(lines.some((l) => l.event === 'config-rejected-keeping-previous')).toBe(true);
    await device.stop();
  });

  it('with streams=state polls config and commands at each heartbeat instead of listening', async () => {
    const { clock, device, transport } = await setup({ streams: 'state' });
    await device.start();
    transport.serverWrite('devices/dev-1/config', { mapping: { inMin: 0, inMax: 4095, outMin: 0, outMax: 180, invert: false }, sampleMs: 500, heartbeatMs: 5_000 });
    transport.serverWrite('devices/dev-1/commands/-CMD1', { type: 'identify', createdAt: 1 });
    await clock.advance(1_000);
    expect(device.view.sampleMs).toBe(1_000);
    expect(transport.writes.filter((w) => w.method === 'update').length).toBe(0);
    await clock.advance(30_000);
    expect(device.view.sampleMs).toBe(500);
    expect(transport.writes.filter((w) => w.method === 'update').map((w) => w.path)).toEqual(['devices/dev-1/commands/-CMD1']);
    await device.stop();
  });

  it('follows the directory on a reconnect command after acking it, and reads it again once back online when it was unreachable at start', async () => {
    const follows: string[] = [];
    const shards = {
      follow: async (): Promise<ShardAnswer> => {
        follows.push('follow');
        return { kind: 'stay', url: 'http://127.0.0.1:9000/?ns=p-default-rtdb', reason: 'no-entry' };
      },
    };
    const { clock, device, transport, lines } = await setup({ shards, directoryPending: true });
    transport.setOffline(true);
    await device.start();
    await clock.advance(1_000);
    expect(follows).toEqual([]);
    transport.setOffline(false);
    await clock.advance(1_000);
    expect(follows).toHaveLength(1);
    transport.serverWrite('devices/dev-1/commands/-C1', { type: 'reconnect', createdAt: 1 });
    await clock.advance(1_000);
    expect(follows).toHaveLength(2);
    const acked = (transport.tree as any).devices['dev-1'].commands['-C1'];
    expect(acked.result).toEqual({ status: 'ok', message: 'reconnecting to the shard of the directory' });
    expect(lines.filter((l) => l.event === 'shard-unchanged')).toHaveLength(2);
    // Online again after a drop: the directory was read already, so not again.
    transport.setOffline(true);
    transport.setOffline(false);
    await clock.advance(1_000);
    expect(follows).toHaveLength(2);
    await device.stop();
  });
});
