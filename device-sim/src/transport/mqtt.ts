// The MQTT transport: a device speaking MQTT to the Firelink gateway (gateway/README.md) with
// MQTT.js, behind the same Transport interface as REST and the SDK, so `run` and `fleet` work
// unchanged. It carries only what a device does — its readings, status, command acks, and its
// state, config and commands — mapping the device's database paths onto the gateway's topics.
//
// Differences the device loop never sees:
// - The gateway stores a reading under a key derived from its seq (gateway/src/reading-id.ts),
//   not under the client's push id; states name that key, so this transport hands states back
//   with the push id the device used for that seq (latency and "mapped" figures stay per reading).
// - Presence: `onDisconnectUpdate(status)` is the MQTT last will, registered at connect.
// - Token renewal publishes the fresh ID token on `…/auth`; reconnects use the newest token.
import mqtt, { type MqttClient } from 'mqtt';
import { SimError } from '../errors.js';
import type { Json, QueryOptions, SubscriptionHandlers, Transport } from './types.js';
import { mqttTopics, parseDevicePath, statusMessage } from './mqtt-topics.js';

export interface MqttTransportOptions {
  url: string;
  deviceId: string;
  idToken: string;
  requestTimeoutMs: number;
  /** MQTT keep-alive: the gateway marks the device offline within 1.5 × this after it goes silent. */
  keepaliveSeconds: number;
  reconnectPeriodMs: number;
  /** A fresh token when the gateway refused the current one on reconnect (0x86). */
  renewToken: (rejected: string) => Promise<string>;
}

/** MQTT 5 reason codes the gateway answers with (gateway/README.md "Errors"). */
function reasonError(code: number, message: string, path: string): SimError {
  if (code === 0x87) return new SimError('permission-denied', `permission denied: ${path} (${message})`, { path });
  if (code === 0x86) return new SimError('token-rejected', `the gateway refused the ID token (${message})`, { path });
  return new SimError('bad-request', `the gateway refused ${path}: ${message} (reason code 0x${code.toString(16)})`, { path });
}

export class MqttTransport implements Transport {
  readonly kind = 'mqtt' as const;
  private readonly handlers = new Map<string, Set<SubscriptionHandlers>>();
  private readonly connectionListeners = new Set<(online: boolean) => void>();
  /** Readings sent, by seq: the push id the device chose (see the header). */
  private readonly pushIdBySeq = new Map<number, string>();
  private readonly commands: Record<string, Json> = {};
  private lastState: Json | undefined;

  private constructor(
    private readonly client: MqttClient,
    private readonly options: MqttTransportOptions,
  ) {
    client.on('message', (topic, payload) => this.onMessage(topic, payload));
    client.on('connect', () => this.emitConnection(true));
    client.on('close', () => this.emitConnection(false));
    client.on('error', (error: Error & { code?: number }) => {
      if (error.code !== 0x86) return;
      // Refused on reconnect: the token expired while offline. Renew it for the next attempt.
      void options.renewToken(String(client.options.password ?? '')).then(
        (token) => this.useToken(token),
        () => undefined,
      );
    });
  }

  /** Connects, retrying a gateway that does not answer yet (bounded: about half a minute). */
  static async connect(options: MqttTransportOptions): Promise<MqttTransport> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await MqttTransport.connectOnce(options);
      } catch (error) {
        if (attempt >= 8 || !(error instanceof SimError) || error.code !== 'unreachable') throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.min(5_000, 250 * 2 ** attempt)));
      }
    }
  }

  private static async connectOnce(options: MqttTransportOptions): Promise<MqttTransport> {
    try {
      const client = await mqtt.connectAsync(options.url, {
        protocolVersion: 5,
        username: options.deviceId,
        password: options.idToken,
        clientId: `${options.deviceId}-${Math.random().toString(36).slice(2, 10)}`,
        clean: true,
        keepalive: options.keepaliveSeconds,
        reconnectPeriod: options.reconnectPeriodMs,
        connectTimeout: options.requestTimeoutMs,
        // Offline publishes fail fast; the device's queue keeps readings and retries them.
        queueQoSZero: false,
        will: { topic: mqttTopics.status(options.deviceId), payload: Buffer.from(JSON.stringify({ online: false })), qos: 1, retain: false },
      });
      return new MqttTransport(client, options);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code === 0x86 || code === 4) throw new SimError('token-rejected', `the MQTT gateway at ${options.url} refused device ${options.deviceId}'s ID token`, { cause: error });
      throw new SimError('unreachable', `cannot reach the MQTT gateway at ${options.url}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  }

  /** A renewed ID token: the session continues with it, and reconnects present it. */
  useToken(token: string): void {
    this.client.options.password = token;
    if (this.client.connected) {
      void this.publish(mqttTopics.auth(this.options.deviceId), token, 'auth').catch(() => undefined);
    }
  }

  async get(path: string, query?: QueryOptions): Promise<Json> {
    const target = parseDevicePath(this.options.deviceId, path);
    if (query !== undefined || target?.kind !== 'state-seq') throw this.unsupported('get', path);
    // The gateway publishes the state retained: it arrives right after subscribing, if there is one.
    const state = await new Promise<Json | undefined>((resolve) => {
      const done = (value: Json | undefined): void => {
        clearTimeout(timer);
        unsubscribe();
        resolve(value);
      };
      const timer = setTimeout(() => done(this.lastState), Math.min(2_000, this.options.requestTimeoutMs));
      const unsubscribe = this.subscribe(path.replace(/\/seq$/, ''), { onValue: (value) => done(value), onError: () => undefined });
    });
    const seq = (state as { seq?: unknown } | null | undefined)?.seq;
    return typeof seq === 'number' ? seq : null;
  }

  async set(path: string, value: unknown): Promise<void> {
    const target = parseDevicePath(this.options.deviceId, path);
    if (target?.kind === 'reading') {
      const seq = (value as { seq?: unknown } | null)?.seq;
      if (typeof seq === 'number') this.pushIdBySeq.set(seq, target.readingId);
      if (this.pushIdBySeq.size > 10_000) this.pushIdBySeq.delete(this.pushIdBySeq.keys().next().value as number);
      await this.publish(mqttTopics.readings(this.options.deviceId), JSON.stringify(value), path);
      return;
    }
    if (target?.kind === 'status') {
      await this.publish(mqttTopics.status(this.options.deviceId), JSON.stringify(statusMessage(value)), path);
      return;
    }
    throw this.unsupported('set', path);
  }

  async update(path: string, values: Record<string, unknown>): Promise<void> {
    const target = parseDevicePath(this.options.deviceId, path);
    if (target?.kind !== 'command' || values.result === undefined) throw this.unsupported('update', path);
    await this.publish(mqttTopics.ack(this.options.deviceId, target.commandId), JSON.stringify(values.result), path);
    delete this.commands[target.commandId];
  }

  async remove(path: string): Promise<void> {
    throw this.unsupported('remove', path);
  }

  subscribe(path: string, handlers: SubscriptionHandlers): () => void {
    const target = parseDevicePath(this.options.deviceId, path);
    const topic =
      target?.kind === 'state' ? mqttTopics.state(this.options.deviceId)
      : target?.kind === 'config' ? mqttTopics.config(this.options.deviceId)
      : target?.kind === 'commands' ? mqttTopics.commands(this.options.deviceId)
      : undefined;
    if (topic === undefined) {
      queueMicrotask(() => handlers.onError(this.unsupported('listen to', path)));
      return () => undefined;
    }
    let set = this.handlers.get(topic);
    if (!set) {
      set = new Set();
      this.handlers.set(topic, set);
      this.client.subscribe(topic, { qos: 1 }, (error) => {
        if (error) for (const h of set ?? []) h.onError(new SimError('permission-denied', `subscribe ${topic}: ${error.message}`, { path }));
      });
    } else if (topic === mqttTopics.state(this.options.deviceId) && this.lastState !== undefined) {
      const last = this.lastState;
      queueMicrotask(() => handlers.onValue(last));
    }
    set.add(handlers);
    return () => {
      set?.delete(handlers);
    };
  }

  async onDisconnectUpdate(path: string): Promise<boolean> {
    // The last will on `…/status`, registered with the connection, is the MQTT onDisconnect.
    return parseDevicePath(this.options.deviceId, path)?.kind === 'status';
  }

  onConnectionChange(listener: (online: boolean) => void): () => void {
    this.connectionListeners.add(listener);
    return () => this.connectionListeners.delete(listener);
  }

  async close(): Promise<void> {
    await this.client.endAsync();
  }

  private emitConnection(online: boolean): void {
    for (const listener of this.connectionListeners) listener(online);
  }

  private publish(topic: string, payload: string, path: string): Promise<void> {
    if (!this.client.connected) {
      return Promise.reject(new SimError('unreachable', `not connected to the MQTT gateway (${this.options.url})`, { path }));
    }
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new SimError('unreachable', `no PUBACK for ${path} within ${this.options.requestTimeoutMs} ms`, { path })), this.options.requestTimeoutMs);
      this.client.publish(topic, payload, { qos: 1 }, (error) => {
        clearTimeout(timer);
        if (!error) return resolve();
        const code = (error as { code?: unknown }).code;
        reject(typeof code === 'number' ? reasonError(code, error.message, path) : new SimError('unreachable', `${path}: ${error.message}`, { path }));
      });
    });
  }

  private onMessage(topic: string, payload: Buffer): void {
    const set = this.handlers.get(topic);
    let value: Json;
    try {
      value = payload.length === 0 ? null : (JSON.parse(payload.toString('utf8')) as Json);
    } catch {
      return;
    }
    if (topic === mqttTopics.commands(this.options.deviceId)) {
      const { id, ...command } = (value ?? {}) as { id?: unknown } & Record<string, Json>;
      if (typeof id !== 'string') return;
      this.commands[id] = command as Json;
      value = { ...this.commands };
    } else if (topic === mqttTopics.state(this.options.deviceId) && value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const state = value as Record<string, Json>;
      const pushId = typeof state.seq === 'number' ? this.pushIdBySeq.get(state.seq) : undefined;
      if (pushId !== undefined) value = { ...state, readingId: pushId };
      this.lastState = value;
    }
    for (const handlers of set ?? []) handlers.onValue(value);
  }

  private unsupported(op: string, path: string): SimError {
    return new SimError(
      'bad-request',
      `the MQTT transport carries only a device's own topics (gateway/README.md), so it cannot ${op} ${path}: use --transport rest or sdk for data commands`,
      { path },
    );
  }
}
