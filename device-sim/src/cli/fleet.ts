// `device-sim fleet`: N simulated devices in one process. In local mode each device is
// provisioned on the fly (backend provisioning module, Admin SDK against the emulators); then all
// run the same loop as `run`, share one HTTP connection pool (REST) and report into one set of
// counters: a summary line every interval and a final report.
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ReadingWrite } from '@firelink/model';
import { isProduction, type DeviceCredentials, type FleetConfig } from './config.js';
import { systemClock, type Clock } from '../clock.js';
import type { Connection } from '../transport/connect.js';
import type { SimulatedDevice } from '../device/device.js';
import { openLiveDevice } from '../device/live-device.js';
import { SimError, isSimError } from '../errors.js';
import { deviceLogs, type LogSink } from '../logs.js';
import { openProvisioner, toSimError } from './provision.js';
import { FileQueueStore, MemoryQueueStore, type OfflineQueue } from '../device/queue.js';
import { seededRandom } from '../random.js';
import { LatencyHistogram, emptyCounters, summaryLine, type FleetCounters } from './stats.js';
import { drainDevices, sleepOn, waitUntil } from './run.js';

export interface FleetIo {
  /** Summary lines and the final report. */
  out: NodeJS.WritableStream & { isTTY?: boolean };
  sink: LogSink;
  signal: AbortSignal;
  fetch?: typeof fetch;
  /** Time for starts, summaries, the run and the drain (tests pass a ManualClock). */
  clock?: Clock;
}

export interface FleetReport {
  devices: number;
  started: number;
  transport: string;
  /** Time to sign in and start every device. */
  startMs: number;
  /** Time from all started to stopped (the run and the drain). */
  durationMs: number;
  sent: number;
  acked: number;
  stateUpdates: number;
  mapped: number;
  queued: number;
  tokenRefreshes: number;
  /** Reading-to-state latency over everything: the start (ramp-up) and the run. */
  latencyMs: LatencySummary;
  /** While the fleet starts (devices still signing in and opening streams): the ramp-up. */
  startLatencyMs: LatencySummary;
  /** After every device runs: the run that `--duration-ms` measures. */
  runLatencyMs: LatencySummary;
  errors: number;
  errorsByCode: Record<string, number>;
}

export interface LatencySummary {
  p50: number | null;
  p90: number | null;
  p99: number | null;
  max: number;
  samples: number;
}

function summarize(histogram: LatencyHistogram): LatencySummary {
  return {
    p50: histogram.percentile(0.5),
    p90: histogram.percentile(0.9),
    p99: histogram.percentile(0.99),
    max: histogram.maxMs,
    samples: histogram.count,
  };
}

interface Member {
  deviceId: string;
  device: SimulatedDevice;
  connection: Connection;
  queue: OfflineQueue<ReadingWrite>;
}

export function fleetDeviceIds(prefix: string, count: number): string[] {
  const width = Math.max(4, String(count).length);
  return Array.from({ length: count }, (_, i) => `${prefix}-${String(i + 1).padStart(width, '0')}`);
}

/** Runs `fn` over items with at most `limit` at once. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Provisioning's `databaseUrl` / `directoryUrl` of a device, when it gives them (docs/scaling.md). */
function shardUrls(entry: object): { databaseUrl?: string; directoryUrl?: string } {
  const out: { databaseUrl?: string; directoryUrl?: string } = {};
  for (const key of ['databaseUrl', 'directoryUrl'] as const) {
    const value = (entry as Record<string, unknown>)[key];
    if (typeof value === 'string') out[key] = value;
  }
  return out;
}

async function fleetCredentials(config: FleetConfig, ids: string[], sink: LogSink): Promise<Map<string, DeviceCredentials>> {
  const out = new Map<string, DeviceCredentials>();
  const provision = config.provision === 'always' || (config.provision === 'auto' && !isProduction(config));
  if (!provision) {
    if (!config.credentialsFile) throw new SimError('bad-config', 'fleet without provisioning needs --credentials-file: a JSON array of {"deviceId","email","password"}');
    const list = JSON.parse(readFileSync(config.credentialsFile, 'utf8')) as { deviceId: string; email: string; password: string }[];
    for (const entry of list.slice(0, ids.length)) out.set(entry.deviceId, { email: entry.email, password: entry.password, ...shardUrls(entry) });
    ids.splice(0, ids.length, ...out.keys());
    return out;
  }
  const provisioner = await openProvisioner(config);
  try {
    await mapLimit(ids, 8, async (deviceId) => {
      const device = await provisioner.provisionOrRotate({ deviceId, ownerUid: config.owner, rotate: config.rotate }).catch((error: unknown) => {
        throw toSimError(error, deviceId);
      });
      out.set(deviceId, { email: device.email, password: device.password, ...shardUrls(device) });
      sink.write('debug', 'provisioned', { deviceId, email: device.email });
    });
  } finally {
    await provisioner.close();
  }
  return out;
}

export async function runFleet(config: FleetConfig, io: FleetIo): Promise<FleetReport> {
  const ids = fleetDeviceIds(config.prefix, config.count);
  const credentials = await fleetCredentials(config, ids, io.sink);
  const baseSeed = config.seed ?? Math.floor(Math.random() * 2 ** 31);
  const total = emptyCounters();
  let window = emptyCounters();
  const totalLatency = new LatencyHistogram();
  const windowLatency = new LatencyHistogram();
  const startLatency = new LatencyHistogram();
  const runLatency = new LatencyHistogram();
  /** Set once every device runs: latencies from then on belong to the run, before to the start. */
  let running = false;
  const members: Member[] = [];
  const bump = (key: 'sent' | 'acked' | 'stateUpdates' | 'mapped', n = 1) => {
    total[key] += n;
    window[key] += n;
  };
  const recordError = (error: SimError) => {
    for (const c of [total, window]) {
      c.errors += 1;
      c.errorsByCode[error.code] = (c.errorsByCode[error.code] ?? 0) + 1;
    }
  };
  const clock = io.clock ?? systemClock;
  const startedAtMs = clock.nowMs();
  const spreadMs = config.startSpreadMs;

  const startOne = async (deviceId: string, index: number) => {
    // Spread starts evenly from the fleet's start (not from this worker's previous device).
    const startAtMs = startedAtMs + (spreadMs * index) / ids.length;
    await sleepOn(clock, Math.max(0, startAtMs - clock.nowMs()), io.signal);
    if (io.signal.aborted) return;
    const random = seededRandom(baseSeed + index);
    const logs = deviceLogs(io.sink, deviceId);
    try {
      const member = await openLiveDevice({
        config,
        deviceId,
        credentials: credentials.get(deviceId)!,
        clock,
        random,
        fetch: io.fetch ?? fetch,
        logs,
        queueStore: config.queueDir ? new FileQueueStore<ReadingWrite>(join(config.queueDir, `${deviceId}.queue.json`)) : new MemoryQueueStore<ReadingWrite>(),
        // Coalesce disk writes: a fleet must not turn each reading into a file write.
        persistDelayMs: 1_000,
        sampleMsOverride: config.rate === undefined ? undefined : Math.max(100, Math.round(1000 / config.rate)),
        metrics: {
          sent: (n) => bump('sent', n),
          acked: () => bump('acked'),
          error: recordError,
          stateReceived: (latencyMs) => {
            bump('stateUpdates');
            if (latencyMs === null) return;
            bump('mapped');
            totalLatency.record(latencyMs);
            windowLatency.record(latencyMs);
            (running ? runLatency : startLatency).record(latencyMs);
          },
        },
      });
      members.push({ deviceId, ...member });
      await member.device.start();
    } catch (error) {
      recordError(isSimError(error) ? error : new SimError('internal', String(error)));
      io.sink.write('error', 'device-start-failed', { deviceId, error: error instanceof Error ? error.message : String(error) });
    }
  };

  let lastTickMs = clock.nowMs();
  const tick = () => {
    const nowMs = clock.nowMs();
    const line = summaryLine({
      online: members.filter((m) => m.device.view.online).length,
      devices: ids.length,
      intervalMs: nowMs - lastTickMs,
      delta: window,
      window: windowLatency,
      queued: members.reduce((n, m) => n + m.queue.size, 0),
    });
    io.out.write(io.out.isTTY ? `\r\x1b[2K${line}` : `${line}\n`);
    lastTickMs = nowMs;
    window = emptyCounters();
    windowLatency.reset();
    ticker = clock.setTimeout(tick, config.statsIntervalMs);
  };
  let ticker = clock.setTimeout(tick, config.statsIntervalMs);
  let runningSinceMs: number;
  try {
    // The duration counts from when every device runs: starting a large fleet takes a while.
    await mapLimit(ids, 32, startOne);
    runningSinceMs = clock.nowMs();
    running = true;
    await waitUntil(io.signal, config.durationMs, clock);
    await drainDevices(members.map((m) => m.device), io.signal, config.drainMs, clock);
  } finally {
    clock.clearTimeout(ticker);
    if (io.out.isTTY) io.out.write('\n');
    await mapLimit(members, 64, async (m) => {
      await m.device.stop();
      await m.connection.transport.close();
    });
  }
  const report: FleetReport = {
    devices: ids.length,
    started: members.length,
    transport: config.transport,
    durationMs: clock.nowMs() - runningSinceMs,
    startMs: runningSinceMs - startedAtMs,
    sent: total.sent,
    acked: total.acked,
    stateUpdates: total.stateUpdates,
    mapped: total.mapped,
    queued: members.reduce((n, m) => n + m.queue.size, 0),
    tokenRefreshes: members.reduce((n, m) => n + m.connection.tokenRefreshes(), 0),
    latencyMs: summarize(totalLatency),
    startLatencyMs: summarize(startLatency),
    runLatencyMs: summarize(runLatency),
    errors: total.errors,
    errorsByCode: total.errorsByCode,
  };
  if (config.reportFile) await writeFile(config.reportFile, `${JSON.stringify(report, null, 2)}\n`);
  return report;
}

/** Counters for tests and callers that watch a running fleet. */
export type { FleetCounters };
