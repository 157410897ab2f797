// `device-sim run`: one device, signed in as itself, until Ctrl-C or `--duration-ms`.
import { join } from 'node:path';
import type { ReadingWrite } from '@firelink/model';
import { resolveCredentials, type RunConfig } from './config.js';
import { systemClock, type Clock } from '../clock.js';
import type { DeviceView, SimulatedDevice } from '../device/device.js';
import { openLiveDevice } from '../device/live-device.js';
import { deviceLogs, type LogSink } from '../logs.js';
import { FileQueueStore } from '../device/queue.js';
import { seededRandom } from '../random.js';
import { LiveView } from './view.js';

export interface RunIo {
  stdout: NodeJS.WriteStream | NodeJS.WritableStream;
  sink: LogSink;
  /** Aborted on SIGINT/SIGTERM. */
  signal: AbortSignal;
  fetch?: typeof fetch;
  onView?: (view: Readonly<DeviceView>) => void;
  /** Time for the run, its drain and the device (tests pass a ManualClock). */
  clock?: Clock;
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
  const clock = io.clock ?? systemClock;
  const random = seededRandom(config.seed ?? Math.floor(Math.random() * 2 ** 32));
  const logs = deviceLogs(io.sink, config.device);
  const viewMode = config.view ?? ((io.stdout as NodeJS.WriteStream).isTTY ? 'live' : 'json');
  const live = viewMode === 'live' ? new LiveView(io.stdout as NodeJS.WriteStream) : null;
  let lastJson = '';
  let errors = 0;
  const queueFile = config.queueFile ?? defaultQueueFile(config.device);
  const { device, connection, queue } = await openLiveDevice({
    config,
    deviceId: config.device,
    credentials,
    clock,
    random,
    fetch: io.fetch ?? fetch,
    logs,
    queueStore: new FileQueueStore<ReadingWrite>(queueFile, (movedTo, error) => logs.queueFileCorrupt(movedTo, String(error))),
    persistDelayMs: 0,
    sampleMsOverride: config.sampleMs,
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
  try {
    await device.start();
    await waitUntil(io.signal, config.durationMs, clock);
    await drainDevices([device], io.signal, config.durationMs > 0 ? config.drainMs : 0, clock);
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

/** Resolves after `ms` on `clock`, or at once when the signal aborts. */
export function sleepOn(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = clock.setTimeout(finish, ms);
    signal?.addEventListener('abort', finish, { once: true });
    function finish() {
      clock.clearTimeout(timer);
      signal?.removeEventListener('abort', finish);
      resolve();
    }
  });
}

/**
 * After a timed run: stop sampling, then let queues empty and the last states arrive, so the
 * report counts every reading of the run (bounded: an overloaded server leaves the rest queued,
 * still durable in the queue file).
 */
export async function drainDevices(devices: readonly SimulatedDevice[], signal: AbortSignal, drainMs: number, clock: Clock = systemClock): Promise<void> {
  if (signal.aborted || drainMs <= 0) return;
  for (const device of devices) device.pauseSampling();
  const deadline = clock.nowMs() + drainMs;
  while (clock.nowMs() < deadline && !signal.aborted && !devices.every((device) => device.drained)) {
    await sleepOn(clock, 100, signal);
  }
}

/** Resolves after `durationMs` (0 = never) or when the signal aborts. */
export function waitUntil(signal: AbortSignal, durationMs: number, clock: Clock = systemClock): Promise<void> {
  if (durationMs > 0) return sleepOn(clock, durationMs, signal);
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
}
