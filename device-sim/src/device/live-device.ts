// One live device: sign in as the device (either transport), check the account IS this device,
// open its durable queue and wire a SimulatedDevice with the real signal and push ids. `run` and
// every fleet member go through here; unit tests build SimulatedDevice directly with fakes.
import { PushIdGenerator, type ReadingWrite } from '@firelink/model';
import type { Clock } from '../clock.js';
import type { ConnectionConfig, DeviceCredentials } from '../cli/config.js';
import { assertOwnsDevice, connectAs, type Connection } from '../transport/connect.js';
import { SimulatedDevice, type DeviceMetrics, type DeviceView } from './device.js';
import type { FetchLike } from '../transport/http.js';
import type { DeviceLogs } from '../logs.js';
import { OfflineQueue, type QueueStore } from './queue.js';
import type { RandomSource } from '../random.js';
import { SignalGenerator } from './signal.js';
import { ShardFollower, isDirectoryUnavailable } from './shard-follower.js';
import { isSimError } from '../errors.js';
import { SwitchableTransport } from '../transport/switchable.js';

/** The SDK pipelines writes over its socket; REST sends one request at a time, as the firmware does. */
const SDK_SEND_WINDOW = 32;
/** A shard move waits this long at most for writes already on their way to the old shard. */
const SHARD_DRAIN_MS = 5_000;

export interface LiveDeviceOptions {
  config: ConnectionConfig & { fw: string; streams: 'all' | 'state'; maxQueued: number };
  deviceId: string;
  credentials: DeviceCredentials;
  clock: Clock;
  random: RandomSource;
  fetch: FetchLike;
  logs: DeviceLogs;
  metrics: DeviceMetrics;
  queueStore: QueueStore<ReadingWrite>;
  /** How long queue changes may wait before they are written (a fleet coalesces). */
  persistDelayMs: number;
  /** Fixed sampling period that wins over the device's `config.sampleMs`. */
  sampleMsOverride?: number | undefined;
  onChange?: (view: Readonly<DeviceView>) => void;
}

export interface LiveDevice {
  device: SimulatedDevice;
  connection: Connection;
  queue: OfflineQueue<ReadingWrite>;
}

/** Connects, checks ownership and opens the queue; the caller starts and stops the device. */
export async function openLiveDevice(options: LiveDeviceOptions): Promise<LiveDevice> {
  const { config, deviceId, credentials, clock, random, logs } = options;
  const signedIn = await connectAs(config, credentials, {
    fetch: options.fetch,
    random,
    clock,
    nowMs: () => clock.nowMs(),
    onTokenRefresh: (reason, validForMs) => logs.tokenRefreshed(reason, validForMs),
  });
  // Over REST and the SDK the device follows its directory entry; over MQTT the gateway does.
  const { openDatabase } = signedIn;
  const switchable = openDatabase === null ? null : new SwitchableTransport(signedIn.transport, signedIn.urls.databaseUrl);
  const connection: Connection = switchable === null ? signedIn : { ...signedIn, transport: switchable };
  const shards =
    switchable === null || openDatabase === null
      ? undefined
      : new ShardFollower({ deviceId, directoryUrl: signedIn.urls.directoryUrl, transport: switchable, openDatabase, drainMs: SHARD_DRAIN_MS });
  try {
    assertOwnsDevice(connection, credentials.email, deviceId);
    logs.signedIn(connection.uid, connection.transport.kind);
    let directoryPending = false;
    if (shards !== undefined) {
      try {
        const answer = await shards.follow();
        if (answer.kind === 'moved') logs.shardMoved(answer.from, answer.to, answer.instance);
        else logs.shardStay(answer.url, answer.reason);
      } catch (error) {
        // Unreadable (rules without a directory, no network): the URL from provisioning is the
        // first answer anyway (docs/scaling.md "How: the shard design").
        if (!isDirectoryUnavailable(error)) throw error;
        directoryPending = isSimError(error, 'unreachable');
        logs.directoryUnreadable(error instanceof Error ? error.message : String(error), (error as { code?: string }).code ?? '');
      }
    }
    const queue = await OfflineQueue.open<ReadingWrite>({
      store: options.queueStore,
      maxItems: config.maxQueued,
      persistDelayMs: options.persistDelayMs,
      events: { onDrop: (ids, max) => logs.readingsDropped(ids, max), onPersistError: (error) => logs.queuePersistFailed(String(error)) },
    });
    const device = new SimulatedDevice({
      deviceId,
      fw: config.fw,
      transport: connection.transport,
      queue,
      signal: new SignalGenerator({ random }),
      nextPushId: pushIds(random),
      clock,
      random,
      logs,
      metrics: options.metrics,
      sampleMsOverride: options.sampleMsOverride,
      sendWindow: connection.transport.kind === 'sdk' ? SDK_SEND_WINDOW : 1,
      streams: config.streams,
      backoff: { baseMs: config.backoffBaseMs, maxMs: config.backoffMaxMs },
      // Readings still queued at start may have reached the server before a restart.
      maybeSent: queue.peek(queue.size).map((item) => item.id),
      ...(shards !== undefined ? { shards, directoryPending } : {}),
      ...(options.onChange ? { onChange: options.onChange } : {}),
    });
    return { device, connection, queue };
  } catch (error) {
    await connection.transport.close();
    throw error;
  }
}

/** The reading ids of one device: the toolkit's push ids (model/src/rtdb/push-id.ts). */
export function pushIds(random: () => number): (nowMs: number) => string {
  const generator = new PushIdGenerator(random);
  return (nowMs) => generator.next(nowMs);
}
