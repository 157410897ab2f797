// One simulated device: the firmware's main loop. It samples the sensors every `sampleMs`, queues
// each reading under a client push id and sends it (sender.ts), listens to its `state` (servo
// angle and LCD text), `config` (sampling, heartbeat) and `commands` (executed and acked), and
// reports presence in `status` (heartbeat, plus onDisconnect where the transport has one).
import {
  DEFAULT_CONFIG,
  ConfigSchema,
  commandPath,
  configPath,
  commandsPath,
  formatLcd,
  statePath,
  statusPath,
  validate,
  type Config,
  type Lcd,
  type ReadingWrite,
} from '@firelink/model';
import { Backoff } from '../backoff.js';
import type { Clock, TimerHandle } from '../clock.js';
import { executeCommand, pendingCommands } from './commands.js';
import { SimError, isSimError } from '../errors.js';
import type { DeviceLogs } from '../logs.js';
import type { OfflineQueue } from './queue.js';
import type { RandomSource } from '../random.js';
import { ReadingSender, type SenderMetrics } from './sender.js';
import { SeqCounter } from './seq.js';
import type { SignalGenerator } from './signal.js';
import { SERVER_TIMESTAMP, type Json, type Transport } from '../transport/types.js';

export interface DeviceMetrics extends SenderMetrics {
  /** A state update arrived; latency from the write of its reading when this device sent it. */
  stateReceived(latencyMs: number | null): void;
}

export interface DeviceView {
  deviceId: string;
  transport: string;
  online: boolean;
  lcd: Lcd;
  angle: number | null;
  lastIr: number | null;
  lastReadingId: string | null;
  /** Readings sampled by this process (each under a new push id). */
  taken: number;
  queued: number;
  sent: number;
  acked: number;
  stateUpdates: number;
  sampleMs: number;
  heartbeatMs: number;
  identifyUntilMs: number;
  lastError: string | null;
}

export interface DeviceOptions {
  deviceId: string;
  fw: string;
  transport: Transport;
  queue: OfflineQueue<ReadingWrite>;
  signal: SignalGenerator;
  nextPushId: (nowMs: number) => string;
  clock: Clock;
  random: RandomSource;
  logs: DeviceLogs;
  metrics: DeviceMetrics;
  /** Fixed sampling period that wins over the device's `config.sampleMs` (fleet `--rate`). */
  sampleMsOverride?: number | undefined;
  sendWindow: number;
  /** `all`: stream state, config and commands; `state`: stream state, poll the others at each heartbeat. */
  streams?: 'all' | 'state';
  backoff: { baseMs: number; maxMs: number };
  /** Ids in the queue when it was opened (may have reached the server before a restart). */
  maybeSent?: readonly string[];
  onChange?: (view: Readonly<DeviceView>) => void;
}

/** Latency bookkeeping is bounded: a reading whose state never comes is forgotten. */
const MAX_TRACKED_WRITES = 1_000;

export class SimulatedDevice {
  readonly view: DeviceView;
  private config: Config = DEFAULT_CONFIG;
  private readonly sender: ReadingSender;
  private readonly seq = new SeqCounter();
  private readonly writeStartedMs = new Map<string, number>();
  private readonly handledCommands = new Set<string>();
  private sampleTimer: TimerHandle | null = null;
  private heartbeatTimer: TimerHandle | null = null;
  private unsubscribes: (() => void)[] = [];
  private running = false;
  private samplingPaused = false;

  constructor(private readonly options: DeviceOptions) {
    this.view = {
      deviceId: options.deviceId,
      transport: options.transport.kind,
      online: false,
      lcd: formatLcd({}),
      angle: null,
      lastIr: null,
      lastReadingId: null,
      taken: 0,
      queued: options.queue.size,
      sent: 0,
      acked: 0,
      stateUpdates: 0,
      sampleMs: options.sampleMsOverride ?? DEFAULT_CONFIG.sampleMs,
      heartbeatMs: DEFAULT_CONFIG.heartbeatMs,
      identifyUntilMs: 0,
      lastError: null,
    };
    for (const item of options.queue.peek(options.queue.size)) this.seq.atLeast(item.value.seq);
    this.sender = new ReadingSender({
      deviceId: options.deviceId,
      transport: options.transport,
      queue: options.queue,
      clock: options.clock,
      backoff: new Backoff({ ...options.backoff, random: options.random }),
      logs: options.logs,
      window: options.sendWindow,
      maybeSent: options.maybeSent ?? [],
      onOnlineChange: (online, reason) => this.setOnline(online, reason),
      onWriteStarted: (id, nowMs) => this.trackWrite(id, nowMs),
      metrics: {
        sent: (n) => {
          this.view.sent += n;
          options.metrics.sent(n);
        },
        acked: (id, startedMs) => {
          this.view.acked += 1;
          this.view.queued = options.queue.size;
          options.metrics.acked(id, startedMs);
          this.changed();
        },
        error: (e) => this.recordError(e),
      },
    });
  }

  async start(): Promise<void> {
    const { transport, deviceId } = this.options;
    this.running = true;
    await this.bootstrapSeq();
    if (this.view.lastError === null) this.setOnline(true);
    this.attachConnectionHandlers();
    await transport
      .onDisconnectUpdate(statusPath(deviceId), { online: false, lastSeen: SERVER_TIMESTAMP })
      .catch((error: unknown) => this.recordError(error));
    await this.writeStatus(true);
    this.scheduleSample();
    this.scheduleHeartbeat();
    this.sender.pump();
  }

  /** Stops taking readings; everything else (sending the queue, listens, heartbeat) goes on. */
  pauseSampling(): void {
    this.samplingPaused = true;
    if (this.sampleTimer !== null) this.options.clock.clearTimeout(this.sampleTimer);
    this.sampleTimer = null;
  }

  /** Nothing waits to be sent and every acknowledged reading of this run came back as a state. */
  get drained(): boolean {
    return this.options.queue.size === 0 && this.writeStartedMs.size === 0;
  }

  /** Stops sampling, says goodbye in `status` (best effort) and waits briefly for writes in flight. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    const { clock } = this.options;
    if (this.sampleTimer !== null) clock.clearTimeout(this.sampleTimer);
    if (this.heartbeatTimer !== null) clock.clearTimeout(this.heartbeatTimer);
    await this.sender.idle(2_000);
    this.sender.stop();
    for (const unsubscribe of this.unsubscribes.splice(0)) unsubscribe();
    await this.writeStatus(false);
    await this.options.queue.flush().catch((error: unknown) => this.recordError(error));
    this.options.logs.stopped(this.view.sent, this.view.acked, this.options.queue.size);
  }

  /** Takes one reading now (also used by the sampling timer). */
  sampleNow(): void {
    const { clock, queue, signal, nextPushId } = this.options;
    const nowMs = clock.nowMs();
    const sample = signal.sample(nowMs);
    const id = nextPushId(nowMs);
    const reading: ReadingWrite = { ir: sample.ir, temp: sample.temp, light: sample.light, seq: this.seq.next(nowMs), deviceTs: nowMs };
    queue.enqueue({ id, value: reading });
    this.view.taken += 1;
    this.view.lastIr = sample.ir;
    this.view.queued = queue.size;
    this.sender.pump();
    this.changed();
  }

  private async bootstrapSeq(): Promise<void> {
    try {
      const state = await this.options.transport.get(`${statePath(this.options.deviceId)}/seq`);
      if (typeof state === 'number') this.seq.atLeast(state);
    } catch (error) {
      // Offline at start: the time-based floor of SeqCounter still keeps seq increasing.
      this.recordError(error);
    }
  }

  private scheduleSample(): void {
    if (!this.running || this.samplingPaused) return;
    this.sampleTimer = this.options.clock.setTimeout(() => {
      this.sampleNow();
      this.scheduleSample();
    }, this.view.sampleMs);
  }

  private scheduleHeartbeat(): void {
    if (!this.running) return;
    this.heartbeatTimer = this.options.clock.setTimeout(() => {
      void this.writeStatus(true);
      this.scheduleHeartbeat();
    }, this.view.heartbeatMs);
  }

  private async writeStatus(online: boolean): Promise<void> {
    try {
      await this.options.transport.set(statusPath(this.options.deviceId), { online, lastSeen: SERVER_TIMESTAMP, fw: this.options.fw });
    } catch (error) {
      this.recordError(error);
      if (isSimError(error)) this.options.logs.writeFailed(statusPath(this.options.deviceId), error.message, error.code);
    }
  }

  private applyConfig(value: Json): void {
    const parsed = value === null ? { ok: true as const, value: DEFAULT_CONFIG } : validate(ConfigSchema, value, 'config');
    if (!parsed.ok) {
      this.options.logs.configRejected(parsed.error.message);
      return;
    }
    this.config = parsed.value;
    const sampleMs = this.options.sampleMsOverride ?? this.config.sampleMs;
    const changed = sampleMs !== this.view.sampleMs || this.config.heartbeatMs !== this.view.heartbeatMs;
    this.view.sampleMs = sampleMs;
    this.view.heartbeatMs = this.config.heartbeatMs;
    if (changed && this.running) {
      // Apply at once rather than after the old (maybe hour-long) period.
      if (this.sampleTimer !== null) this.options.clock.clearTimeout(this.sampleTimer);
      if (this.heartbeatTimer !== null) this.options.clock.clearTimeout(this.heartbeatTimer);
      this.scheduleSample();
      this.scheduleHeartbeat();
    }
    this.options.logs.configApplied(this.view.sampleMs, this.view.heartbeatMs);
    this.changed();
  }

  private applyState(value: Json): void {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return;
    const state = value as { angle?: unknown; readingId?: unknown; lcd?: unknown; ir?: unknown };
    if (typeof state.angle === 'number') this.view.angle = state.angle;
    const lcd = state.lcd as Partial<Lcd> | undefined;
    this.view.lcd = typeof lcd?.line1 === 'string' && typeof lcd.line2 === 'string' ? { line1: lcd.line1, line2: lcd.line2 } : formatLcd({ ir: state.ir, angle: state.angle });
    let latencyMs: number | null = null;
    if (typeof state.readingId === 'string') {
      this.view.lastReadingId = state.readingId;
      const startedMs = this.writeStartedMs.get(state.readingId);
      if (startedMs !== undefined) {
        latencyMs = this.options.clock.nowMs() - startedMs;
        this.writeStartedMs.delete(state.readingId);
      }
    }
    this.view.stateUpdates += 1;
    this.options.metrics.stateReceived(latencyMs);
    this.changed();
  }

  private async applyCommands(value: Json): Promise<void> {
    const { deviceId, transport, clock, logs, signal } = this.options;
    for (const [commandId, raw] of pendingCommands(value)) {
      if (this.handledCommands.has(commandId)) continue;
      this.handledCommands.add(commandId);
      const outcome = executeCommand(raw, () => signal.sample(clock.nowMs()).ir);
      try {
        // One update: the rules accept `ackAt` only together with `result`.
        await transport.update(commandPath(deviceId, commandId), { ackAt: SERVER_TIMESTAMP, result: outcome.result });
        logs.commandAcked(commandId, outcome.type, outcome.result.status);
      } catch (error) {
        // Only a network failure is worth another try (at the next change of `commands`); an ack
        // the rules refuse stays refused, and retrying it at every change would loop.
        if (isSimError(error, 'unreachable') || isSimError(error, 'token-rejected')) this.handledCommands.delete(commandId);
        this.recordError(error);
        logs.commandAckFailed(commandId, error instanceof Error ? error.message : String(error));
        continue;
      }
      if (outcome.effect.kind === 'set-angle') this.view.angle = outcome.effect.angle;
      if (outcome.effect.kind === 'identify') this.view.identifyUntilMs = clock.nowMs() + outcome.effect.durationMs;
      if (outcome.effect.kind === 'reboot') this.reboot();
      this.changed();
    }
  }

  /** A simulated reboot: the display clears and the listens start over; the queue survives. */
  private reboot(): void {
    this.view.lcd = formatLcd({});
    this.view.angle = null;
    this.attachConnectionHandlers();
  }

  /**
   * The one place that (re)attaches what a running device listens to, for start and reboot: the
   * connection state (a reconnect flushes the queue at once and says "online" in status) and the
   * device's listens.
   */
  private attachConnectionHandlers(): void {
    for (const unsubscribe of this.unsubscribes.splice(0)) unsubscribe();
    this.unsubscribes.push(
      this.options.transport.onConnectionChange((online) => {
        this.setOnline(online);
        if (online) {
          this.sender.retryNow();
          void this.writeStatus(true);
        }
      }),
      ...this.listens(),
    );
  }

  /**
   * The device's listens. With `streams: 'state'` only `state` is streamed and `config` and
   * `commands` are read at every heartbeat instead: one open stream per device, as a
   * memory-tight microcontroller may prefer, and a third of the server's listeners for a fleet.
   */
  private listens(): (() => void)[] {
    const { transport, deviceId, clock } = this.options;
    const errors = { onError: (e: SimError) => this.listenError(e) };
    const state = transport.subscribe(statePath(deviceId), { onValue: (v) => this.applyState(v), ...errors });
    if (this.options.streams !== 'state') {
      return [
        state,
        transport.subscribe(configPath(deviceId), { onValue: (v) => this.applyConfig(v), ...errors }),
        transport.subscribe(commandsPath(deviceId), { onValue: (v) => void this.applyCommands(v), ...errors }),
      ];
    }
    let timer: TimerHandle | null = null;
    let stopped = false;
    const poll = async () => {
      try {
        const [config, commands] = await Promise.all([transport.get(configPath(deviceId)), transport.get(commandsPath(deviceId))]);
        if (stopped) return;
        this.applyConfig(config);
        await this.applyCommands(commands);
      } catch (error) {
        if (isSimError(error)) this.listenError(error);
      }
      if (!stopped) timer = clock.setTimeout(() => void poll(), this.view.heartbeatMs);
    };
    void poll();
    return [
      state,
      () => {
        stopped = true;
        if (timer !== null) clock.clearTimeout(timer);
      },
    ];
  }

  private trackWrite(id: string, nowMs: number): void {
    if (this.writeStartedMs.size >= MAX_TRACKED_WRITES) {
      const oldest = this.writeStartedMs.keys().next().value;
      if (oldest !== undefined) this.writeStartedMs.delete(oldest);
    }
    if (!this.writeStartedMs.has(id)) this.writeStartedMs.set(id, nowMs);
  }

  private listenError(error: SimError): void {
    this.recordError(error);
    this.options.logs.listenError(error.path ?? '', error.message, error.code);
  }

  private recordError(error: unknown): void {
    const simError = isSimError(error) ? error : new SimError('internal', error instanceof Error ? error.message : String(error), { cause: error });
    this.view.lastError = simError.message;
    this.options.metrics.error(simError);
    this.changed();
  }

  private setOnline(online: boolean, reason = 'connection lost'): void {
    if (this.view.online === online) return;
    this.view.online = online;
    if (online) this.options.logs.online();
    else this.options.logs.offline(reason, this.options.queue.size);
    this.changed();
  }

  private changed(): void {
    this.options.onChange?.(this.view);
  }
}
