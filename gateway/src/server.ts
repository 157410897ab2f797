/**
 * Starts the gateway: the broker on MQTT/TCP and MQTT over WebSocket (the `mqtt` subprotocol,
 * MQTT 5.0 section 6), one Admin SDK app for token checks and the RTDB listeners, and the REST
 * writer that writes as each device.
 */
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from 'node:net';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { randomBytes } from 'node:crypto';
import { WebSocketServer, createWebSocketStream } from 'ws';
import { deleteApp, initializeApp, type App } from 'firebase-admin/app';
import { getAuth } from 'firebase-admin/auth';
import { getDatabase, getDatabaseWithUrl, type Database } from 'firebase-admin/database';
import { siblingInstanceUrl } from '@firelink/model';
import { adminVerifier, type TokenVerifier } from './auth.js';
import { createBroker, type GatewayStats } from './broker.js';
import { loadConfig, type GatewayConfig, type GatewayOptions } from './config.js';
import { DeviceWriter } from './device-writer.js';
import { gatewayLogs, jsonLineSink, type LogSink } from './logs.js';

export interface RunningGateway {
  config: GatewayConfig;
  /** `mqtt://host:port` */
  mqttUrl: string;
  /** `ws://host:port/mqtt` */
  wsUrl: string;
  mqttPort: number;
  wsPort: number;
  stats(): GatewayStats;
  stop(): Promise<void>;
}

export interface StartOptions extends GatewayOptions {
  env?: NodeJS.ProcessEnv;
  log?: LogSink;
  /** Replaces firebase-admin's verifyIdToken (tests of the broker without an Auth emulator). */
  verify?: TokenVerifier;
}

function listen(server: TcpServer | HttpServer, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function close(server: TcpServer | HttpServer): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

export async function startGateway(options: StartOptions = {}): Promise<RunningGateway> {
  const { env = process.env, log, verify, ...gatewayOptions } = options;
  const config = loadConfig(env, gatewayOptions);
  const logs = gatewayLogs(log ?? jsonLineSink(process.stderr));
  const databaseURL = config.emulated ? `${config.databaseOrigin}?ns=${config.namespace}` : `https://${config.namespace}.firebaseio.com`;
  const app: App = initializeApp({ projectId: config.projectId, databaseURL }, `firelink-gateway-${randomBytes(4).toString('hex')}`);
  const writer = new DeviceWriter({
    databaseOrigin: config.databaseOrigin,
    namespace: config.namespace,
    emulated: config.emulated,
    timeoutMs: config.writeTimeoutMs,
    attempts: config.writeAttempts,
    connections: config.writeConnections,
  });
  const adminDb = getDatabase(app);
  // One Admin SDK database per shard a connected device lives on (firebase-admin caches them by URL).
  const instanceDb = (instance: string): Database =>
    instance === config.namespace
      ? adminDb
      : getDatabaseWithUrl(config.emulated ? `${config.databaseOrigin}?ns=${instance}` : siblingInstanceUrl(databaseURL, instance), app);
  const broker = await createBroker({
    config,
    writer,
    verify: verify ?? adminVerifier(getAuth(app)),
    adminDb,
    instanceDb,
    logs,
  });

  const tcp = createTcpServer((socket) => broker.aedes.handle(socket));
  const http = createHttpServer((_req, res) => {
    res.writeHead(426, { 'content-type': 'text/plain' }).end(`MQTT over WebSocket: connect to ${config.wsPath} with the "mqtt" subprotocol\n`);
  });
  const wss = new WebSocketServer({ server: http, path: config.wsPath });
  wss.on('connection', (ws, req) => broker.aedes.handle(createWebSocketStream(ws), req));

  const mqttPort = await listen(tcp, config.mqttPort, config.host);
  const wsPort = await listen(http, config.wsPort, config.host);
  const mqttUrl = `mqtt://${config.host}:${mqttPort}`;
  const wsUrl = `ws://${config.host}:${wsPort}${config.wsPath}`;
  logs.listening(mqttUrl, wsUrl, config.projectId, config.namespace);

  let stopped: Promise<void> | undefined;
  return {
    config,
    mqttUrl,
    wsUrl,
    mqttPort,
    wsPort,
    stats: () => broker.stats(),
    stop: () => {
      stopped ??= (async () => {
        const tcpClosed = close(tcp);
        for (const client of wss.clients) client.terminate();
        const httpClosed = close(http);
        await broker.close();
        await Promise.all([tcpClosed, httpClosed]);
        await deleteApp(app);
        logs.stopped();
      })();
      return stopped;
    },
  };
}
