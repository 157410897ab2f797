// `device-sim run`: one device, signed in as itself, until Ctrl-C or `--duration-ms`.
import { join } from 'node:path';
import type { ReadingWrite } from '@firelink/model';
import { resolveCredentials, type RunConfig } from './config.js';
import { assertOwnsDevice, connectAs } from './connect.js';
import type { DeviceView, SimulatedDevice } from './device.js';
import { createLiveDevice } from './device-factory.js';
import { deviceLogs, type LogSink } from './logs.js';
import { FileQueueStore, OfflineQueue } from './queue.js';
import { seededRandom } from './random.js';
import { LiveView } from './view.js';

export interface RunIo {
  stdout: NodeJS.WriteStream | NodeJS.WritableStream;
  sink: LogSink;
  /** Aborted on SIGINT/SIGTERM. */
  signal: AbortSignal;
  fetch?: typeof fetch;
  onView?: (view: Readonly<DeviceView>) => void;
}

export interface RunReport {
  deviceId: string;
  transport: string;
  taken: number;
  sent: number;
  acked: number;
  queued: number;
  stateUpdates: number;
  lastAngle: number | null;
  tokenRefreshes: number;
  errors: number;
}

export function defaultQueueFile(deviceId: string): string {
  return join('.device-sim', `${deviceId}.queue.json`);
}

export async function runDevice(config: RunConfig, io: RunIo): Promise<RunReport> {
  const credentials = resolveCredentials(config, `device-sim run --device ${config.device}`);
  const random = seededRandom(config.seed ?? Math.floor(Math.random() * 2 ** 32));
  const logs = deviceLogs(io.sink, config.device);
  const connection = await connectAs(config, credentials, {
    fetch: io.fetch ?? fetch,
    random,
    nowMs: () => Date.now(),
    onTokenRefresh: (reason, validForMs) => logs.tokenRefreshed(reason, validForMs),
  });
  let errors = 0;
  try {
    assertOwnsDevice(connection, credentials.email, config.device);
    logs.signedIn(connection.uid, connection.transport.kind);
    const queueFile = config.queueFile ?? defaultQueueFile(config.device);
    const queue = await OfflineQueue.open<ReadingWrite>({
      store: new FileQueueStore<ReadingWrite>(queueFile, (movedTo, error) => logs.queueFileCorrupt(movedTo, String(error))),
      maxItems: config.maxQueued,
      persistDelayMs: 0,
      events: { onDrop: (ids, max) => logs.readingsDropped(ids, max), onPersistError: (error) => logs.queuePersistFailed(String(error)) },
    });
    const viewMode = config.view ?? ((io.stdout as NodeJS.WriteStream).isTTY ? 'live' : 'json');
    const live = viewMode === 'live' ? new LiveView(io.stdout as NodeJS.WriteStream) : null;
    let lastJson = '';
    const device = createLiveDevice({
      deviceId: config.device,
      fw: config.fw,
      transport: connection.transport,
      queue,
      random,
      logs,
      sampleMsOverride: config.sampleMs,
      backoff: { baseMs: config.backoffBaseMs, maxMs: config.backoffMaxMs },
      streams: config.streams,
      metrics: { sent: () => {}, acked: () => {}, error: () => void (errors += 1), stateReceived: () => {} },
      onChange: (view) => {
        io.onView?.(view);
        if (live) live.update(view);
        else if (viewMode === 'json') {
          // One JSON line per change of what the device shows (not per counter tick).
          const shown = JSON.stringify({ deviceId: view.deviceId, online: view.online, lcd: view.lcd, angle: view.angle });
          if (shown !== lastJson) io.stdout.write(`${shown}\n`);
          lastJson = shown;
        }
      },
    });
    await device.start();
    await waitUntil(io.signal, config.durationMs);
    await drainDevices([device], io.signal, config.durationMs > 0 ? config.drainMs : 0);
    await device.stop();
    live?.stop();
    return {
      deviceId: config.device,
      transport: connection.transport.kind,
      taken: device.view.taken,
      sent: device.view.sent,
      acked: device.view.acked,
      queued: queue.size,
      stateUpdates: device.view.stateUpdates,
      lastAngle: device.view.angle,
      tokenRefreshes: connection.tokenRefreshes(),
      errors,
    };
  } finally {
    await connection.transport.close();
  }
}

/**
 * After a timed run: stop sampling, then let queues empty and the last states arrive, so the
 * report counts every reading of the run (bounded: an overloaded server leaves the rest queued,
 * still durable in the queue file).
 */
export async function drainDevices(devices: readonly SimulatedDevice[], signal: AbortSignal, drainMs: number): Promise<void> {
  if (signal.aborted || drainMs <= 0) return;
  for (const device of devices) device.pauseSampling();
  const deadline = Date.now() + drainMs;
  while (Date.now() < deadline && !signal.aborted && !devices.every((device) => device.drained)) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Resolves after `durationMs` (0 = never) or when the signal aborts. */
export function waitUntil(signal: AbortSignal, durationMs: number): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = durationMs > 0 ? setTimeout(finish, durationMs) : null;
    signal.addEventListener('abort', finish, { once: true });
    function finish() {
      if (timer) clearTimeout(timer);
      signal.removeEventListener('abort', finish);
      resolve();
    }
  });
}
