// One simulated device: the firmware's main loop, wired from its parts. Sampling (sampling.ts)
// queues a reading every `sampleMs` and the sender (sender.ts) drains the queue; the device
// listens to its `state` (servo angle and LCD text), `config` (appliers.ts) and `commands`
// (command-executor.ts), and reports presence in `status` (presence.ts). This file keeps the view,
// the listens and the connection handlers that start and reboot share.
import { DEFAULT_CONFIG, commandsPath, configPath, formatLcd, statePath, type Lcd, type ReadingWrite } from '@firelink/model';
import { Backoff } from '../backoff.js';
import type { Clock, TimerHandle } from '../clock.js';
import { SimError, isSimError } from '../errors.js';
import type { DeviceLogs } from '../logs.js';
import type { RandomSource } from '../random.js';
import type { Json, Transport } from '../transport/types.js';
import { configFrom, stateFrom } from './appliers.js';
import { CommandExecutor } from './command-executor.js';
import type { CommandEffect } from './commands.js';
import { Presence, randomPhase } from './presence.js';
import type { OfflineQueue } from './queue.js';
import { Sampling } from './sampling.js';
import { ReadingSender, type SenderMetrics } from './sender.js';
import type { SignalGenerator } from './signal.js';
import type { ShardAnswer } from './shard-follower.js';

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
  /** Follows the directory on a `reconnect` command (shard-follower.ts); absent: nothing to follow. */
  shards?: { follow(): Promise<ShardAnswer> };
  /** The directory did not answer at start: read it when the connection comes back. */
  directoryPending?: boolean;
  onChange?: (view: Readonly<DeviceView>) => void;
}

/** Latency bookkeeping is bounded: a reading whose state never comes is forgotten. */
const MAX_TRACKED_WRITES = 1_000;

export class SimulatedDevice {
  readonly view: DeviceView;
  private readonly sender: ReadingSender;
  private readonly sampling: Sampling;
  private readonly presence: Presence;
  private readonly commands: CommandExecutor;
  private readonly writeStartedMs = new Map<string, number>();
  private unsubscribes: (() => void)[] = [];
  private running = false;
  private directoryPending: boolean;
  private following = false;

  constructor(private readonly options: DeviceOptions) {
    const { deviceId, transport, queue, clock, logs, signal } = options;
    this.directoryPending = options.directoryPending ?? false;
    this.view = {
      deviceId,
      transport: transport.kind,
      online: false,
      lcd: formatLcd({}),
      angle: null,
      lastIr: null,
      lastReadingId: null,
      taken: 0,
      queued: queue.size,
      sent: 0,
      acked: 0,
      stateUpdates: 0,
      sampleMs: options.sampleMsOverride ?? DEFAULT_CONFIG.sampleMs,
      heartbeatMs: DEFAULT_CONFIG.heartbeatMs,
      identifyUntilMs: 0,
      lastError: null,
    };
    const onError = (error: unknown) => this.recordError(error);
    this.sampling = new Sampling({
      deviceId,
      transport,
      queue,
      signal,
      nextPushId: options.nextPushId,
      clock,
      sampleMs: () => this.view.sampleMs,
      onSample: (reading) => {
        this.view.taken += 1;
        this.view.lastIr = reading.ir;
        this.view.queued = queue.size;
        this.sender.pump();
        this.changed();
      },
      onError,
    });
    this.presence = new Presence({ deviceId, fw: options.fw, transport, clock, logs, heartbeatMs: () => this.view.heartbeatMs, random: options.random, onError });
    this.commands = new CommandExecutor({
      deviceId,
      transport,
      logs,
      sampleIr: () => signal.sample(clock.nowMs()).ir,
      onEffect: (effect) => this.applyEffect(effect),
      onError,
    });
    this.sender = new ReadingSender({
      deviceId,
      transport,
      queue,
      clock,
      backoff: new Backoff({ ...options.backoff, random: options.random }),
      logs,
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
          this.view.queued = queue.size;
          options.metrics.acked(id, startedMs);
          this.changed();
        },
        error: onError,
      },
    });
  }

  async start(): Promise<void> {
    this.running = true;
    await this.sampling.bootstrap();
    if (this.view.lastError === null) this.setOnline(true);
    this.attachConnectionHandlers();
    await this.presence.start();
    this.sampling.start();
    this.sender.pump();
  }

  /** Stops taking readings; everything else (sending the queue, listens, heartbeat) goes on. */
  pauseSampling(): void {
    this.sampling.pause();
  }

  /** Nothing waits to be sent and every acknowledged reading of this run came back as a state. */
  get drained(): boolean {
    return this.options.queue.size === 0 && this.writeStartedMs.size === 0;
  }

  /** Stops sampling, says goodbye in `status` (best effort) and waits briefly for writes in flight. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.sampling.stop();
    await this.sender.idle(2_000);
    this.sender.stop();
    for (const unsubscribe of this.unsubscribes.splice(0)) unsubscribe();
    await this.presence.stop();
    await this.options.queue.flush().catch((error: unknown) => this.recordError(error));
    this.options.logs.stopped(this.view.sent, this.view.acked, this.options.queue.size);
  }

  /** Takes one reading now (also what the sampling timer does). */
  sampleNow(): void {
    this.sampling.sampleNow();
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
          void this.presence.write(true);
          if (this.directoryPending) void this.followShard();
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
        transport.subscribe(commandsPath(deviceId), { onValue: (v) => void this.commands.apply(v), ...errors }),
      ];
    }
    let timer: TimerHandle | null = null;
    let stopped = false;
    let polls = 0;
    const poll = async () => {
      try {
        const [config, commands] = await Promise.all([transport.get(configPath(deviceId)), transport.get(commandsPath(deviceId))]);
        if (stopped) return;
        this.applyConfig(config);
        await this.commands.apply(commands);
      } catch (error) {
        if (isSimError(error)) this.listenError(error);
      }
      // The first poll is at start (the config is needed now); the next at a random point of the
      // period (presence.ts randomPhase), then every period.
      polls += 1;
      const delayMs = polls === 1 ? randomPhase(this.view.heartbeatMs, this.options.random) : this.view.heartbeatMs;
      if (!stopped) timer = clock.setTimeout(() => void poll(), delayMs);
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

  private applyConfig(value: Json): void {
    const update = configFrom(value);
    if (!update.ok) {
      this.options.logs.configRejected(update.error);
      return;
    }
    const sampleMs = this.options.sampleMsOverride ?? update.config.sampleMs;
    const sampleChanged = sampleMs !== this.view.sampleMs;
    const heartbeatChanged = update.config.heartbeatMs !== this.view.heartbeatMs;
    this.view.sampleMs = sampleMs;
    this.view.heartbeatMs = update.config.heartbeatMs;
    if (this.running && (sampleChanged || heartbeatChanged)) {
      // Apply at once rather than after the old (maybe hour-long) period.
      this.sampling.reschedule();
      this.presence.reschedule();
    }
    this.options.logs.configApplied(this.view.sampleMs, this.view.heartbeatMs);
    this.changed();
  }

  private applyState(value: Json): void {
    const update = stateFrom(value);
    if (update === null) return;
    if (update.angle !== null) this.view.angle = update.angle;
    this.view.lcd = update.lcd;
    let latencyMs: number | null = null;
    if (update.readingId !== null) {
      this.view.lastReadingId = update.readingId;
      const startedMs = this.writeStartedMs.get(update.readingId);
      if (startedMs !== undefined) {
        latencyMs = this.options.clock.nowMs() - startedMs;
        this.writeStartedMs.delete(update.readingId);
      }
    }
    this.view.stateUpdates += 1;
    this.options.metrics.stateReceived(latencyMs);
    this.changed();
  }

  private applyEffect(effect: CommandEffect): void {
    if (effect.kind === 'set-angle') this.view.angle = effect.angle;
    if (effect.kind === 'identify') this.view.identifyUntilMs = this.options.clock.nowMs() + effect.durationMs;
    if (effect.kind === 'reboot') this.reboot();
    if (effect.kind === 'reconnect') void this.followShard();
    this.changed();
  }

  /**
   * After a `reconnect` (acked on the old shard already): re-read the directory and move. The
   * transport moves the listens; the device says "online" on the new shard and sends its queue
   * there (what was sampled during the move waited in the queue).
   */
  private async followShard(): Promise<void> {
    const { shards, logs } = this.options;
    if (shards === undefined || this.following) return;
    this.following = true;
    try {
      const answer = await shards.follow();
      this.directoryPending = false;
      if (answer.kind === 'stay') {
        logs.shardStay(answer.url, answer.reason);
        return;
      }
      logs.shardMoved(answer.from, answer.to, answer.instance);
      if (!this.running) return;
      await this.presence.announce();
      this.sender.retryNow();
      this.sender.pump();
    } catch (error) {
      this.recordError(error);
      logs.shardMoveFailed(error instanceof Error ? error.message : String(error));
    } finally {
      this.following = false;
    }
  }

  /** A simulated reboot: the display clears and the listens and handlers start over; the queue survives. */
  private reboot(): void {
    this.view.lcd = formatLcd({});
    this.view.angle = null;
    this.attachConnectionHandlers();
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
