// Every log line of the gateway, as named functions with structured fields; the device id is on
// every device line. JSON lines on stderr by default; tests and benches pass their own sink.

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface LogSink {
  write(level: LogLevel, event: string, fields: Record<string, unknown>): void;
}

export function jsonLineSink(stream: NodeJS.WritableStream, minLevel: LogLevel = 'info'): LogSink {
  const order: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };
  return {
    write(level, event, fields) {
      if (order[level] < order[minLevel]) return;
      stream.write(`${JSON.stringify({ time: new Date().toISOString(), level, event, ...fields })}\n`);
    },
  };
}

export const silentSink: LogSink = { write: () => {} };

export function gatewayLogs(sink: LogSink) {
  const log = (level: LogLevel, event: string, fields: Record<string, unknown>) => sink.write(level, event, fields);
  return {
    listening: (mqttUrl: string, wsUrl: string, projectId: string, namespace: string) =>
      log('info', 'gateway-listening', { mqttUrl, wsUrl, projectId, namespace }),
    stopped: () => log('info', 'gateway-stopped', {}),
    connectRefused: (username: string | undefined, clientId: string, reason: string) =>
      log('warn', 'connect-refused', { deviceId: username ?? null, clientId, reason }),
    connected: (deviceId: string, clientId: string, protocolVersion: number, expiresInMs: number) =>
      log('info', 'device-connected', { deviceId, clientId, protocolVersion, expiresInMs }),
    disconnected: (deviceId: string, clientId: string, reason: string) => log('info', 'device-disconnected', { deviceId, clientId, reason }),
    publishRefused: (deviceId: string, topic: string, reasonCode: string, reason: string) =>
      log('warn', 'publish-refused', { deviceId, topic, reasonCode, reason }),
    subscribeRefused: (deviceId: string, filter: string, reason: string) => log('warn', 'subscribe-refused', { deviceId, filter, reason }),
    readingAlreadyStored: (deviceId: string, readingId: string) => log('info', 'reading-already-stored', { deviceId, readingId }),
    abuseDisconnect: (deviceId: string, strikes: number, windowMs: number) => log('warn', 'abuse-disconnect', { deviceId, strikes, windowMs }),
    lastWill: (deviceId: string, topic: string) => log('info', 'last-will-written', { deviceId, topic }),
    tokenRenewed: (deviceId: string, expiresInMs: number) => log('info', 'token-renewed', { deviceId, expiresInMs }),
    tokenExpired: (deviceId: string) => log('warn', 'token-expired-session-closed', { deviceId }),
    writeFailed: (deviceId: string, path: string, error: string) => log('error', 'database-write-failed', { deviceId, path, error }),
    presenceWriteFailed: (deviceId: string, online: boolean, error: string) => log('warn', 'presence-write-failed', { deviceId, online, error }),
    shardMoved: (deviceId: string, from: string, to: string) => log('info', 'device-shard-moved', { deviceId, from, to }),
    shardUnchanged: (deviceId: string, instance: string) => log('info', 'device-shard-unchanged', { deviceId, instance }),
    directoryUnreadable: (deviceId: string, instance: string, error: string) => log('warn', 'directory-unreadable-using-default', { deviceId, instance, error }),
    reconnectAckFailed: (deviceId: string, commandId: string, error: string) => log('warn', 'reconnect-ack-failed', { deviceId, commandId, error }),
    feedError: (deviceId: string, node: string, error: string) => log('error', 'database-listen-failed', { deviceId, node, error }),
    stateIgnored: (deviceId: string, node: string, error: string) => log('warn', 'database-value-invalid', { deviceId, node, error }),
    clientError: (deviceId: string | null, clientId: string, error: string) => log('debug', 'client-error', { deviceId, clientId, error }),
  };
}

export type GatewayLogs = ReturnType<typeof gatewayLogs>;
