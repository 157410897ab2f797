// MQTT clients for the integration tests: MQTT.js (the library device-sim uses) and a raw client
// on mqtt-packet for what MQTT.js will not do on request (resend a QoS 1 PUBLISH with DUP set).
import { connect as tcpConnect, type Socket } from 'node:net';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import mqttPacket, { type Packet } from 'mqtt-packet';

export function connectDevice(url: string, deviceId: string, token: string, options: Partial<IClientOptions> = {}): Promise<MqttClient> {
  return mqtt.connectAsync(url, {
    username: deviceId,
    password: token,
    clientId: `${deviceId}-${Math.random().toString(16).slice(2, 8)}`,
    protocolVersion: 5,
    reconnectPeriod: 0,
    connectTimeout: 10_000,
    ...options,
  });
}

/** Messages received per topic, with a wait for the first one matching a predicate. */
export class Inbox {
  readonly messages: Array<{ topic: string; payload: string; retain: boolean }> = [];
  private waiters: Array<() => void> = [];

  constructor(client: MqttClient) {
    client.on('message', (topic, payload, packet) => {
      this.messages.push({ topic, payload: payload.toString('utf8'), retain: packet.retain });
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  async next(predicate: (m: { topic: string; payload: string; retain: boolean }) => boolean, what: string, timeoutMs = 15_000): Promise<{ topic: string; payload: string; retain: boolean }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(predicate);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no message ${what} within ${timeoutMs} ms; got ${JSON.stringify(this.messages.slice(-5))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}

/** A minimal raw MQTT 3.1.1 client: writes packets as given and collects what comes back. */
export class RawClient {
  readonly received: Packet[] = [];
  private constructor(private readonly socket: Socket) {
    const parser = mqttPacket.parser({ protocolVersion: 4 });
    parser.on('packet', (packet: Packet) => this.received.push(packet));
    socket.on('data', (chunk) => parser.parse(chunk));
  }

  static open(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = tcpConnect(port, '127.0.0.1', () => resolve(new RawClient(socket)));
      socket.once('error', reject);
    });
  }

  send(packet: Packet): void {
    this.socket.write(mqttPacket.generate(packet, { protocolVersion: 4 }));
  }

  close(): void {
    this.socket.destroy();
  }
}
