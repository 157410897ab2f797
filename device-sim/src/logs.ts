// Every log line of the simulator, as named functions with structured fields; the device id is on
// every device line. A sink decides the format: JSON lines on stderr for machines and
// containers, a short buffer under the live terminal view, or counters for a fleet.

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface LogSink {
  write(level: LogLevel, event: string, fields: Record<string, unknown>): void;
}

const LEVEL_ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** Passes on lines from `minLevel` up. */
export function levelFilteredSink(inner: LogSink, minLevel: LogLevel): LogSink {
  return {
    write(level, event, fields) {
      if (LEVEL_ORDER[level] >= LEVEL_ORDER[minLevel]) inner.write(level, event, fields);
    },
  };
}

export function jsonLineSink(stream: NodeJS.WritableStream, minLevel: LogLevel = 'info'): LogSink {
  return levelFilteredSink(
    {
      write(level, event, fields) {
        stream.write(`${JSON.stringify({ time: new Date().toISOString(), level, event, ...fields })}\n`);
      },
    },
    minLevel,
  );
}

export function deviceLogs(sink: LogSink, deviceId: string) {
  const log = (level: LogLevel, event: string, fields: Record<string, unknown> = {}) => sink.write(level, event, { deviceId, ...fields });
  return {
    signedIn: (uid: string, transport: string) => log('info', 'signed-in', { uid, transport }),
    tokenRefreshed: (reason: string, validForMs: number) => log('info', 'token-refreshed', { reason, validForMs }),
    online: () => log('info', 'online'),
    offline: (reason: string, queued: number) => log('warn', 'offline', { reason, queued }),
    readingsDropped: (ids: readonly string[], maxQueued: number) =>
      log('warn', 'queue-full-dropped-oldest', { dropped: ids.length, firstId: ids[0], maxQueued }),
    queueFileCorrupt: (movedTo: string, error: string) => log('error', 'queue-file-corrupt', { movedTo, error }),
    queuePersistFailed: (error: string) => log('error', 'queue-persist-failed', { error }),
    readingRejected: (readingId: string, reading: unknown, error: string) => log('error', 'reading-rejected', { readingId, reading, error }),
    readingReplayed: (readingId: string) => log('info', 'reading-already-stored', { readingId }),
    backlogSent: (count: number) => log('info', 'backlog-sent', { count }),
    configApplied: (sampleMs: number, heartbeatMs: number) => log('info', 'config-applied', { sampleMs, heartbeatMs }),
    configRejected: (error: string) => log('warn', 'config-rejected-keeping-previous', { error }),
    commandAcked: (commandId: string, type: string, status: string) => log('info', 'command-acked', { commandId, type, status }),
    commandAckFailed: (commandId: string, error: string) => log('warn', 'command-ack-failed', { commandId, error }),
    listenError: (path: string, error: string, code: string) => log(code === 'unreachable' ? 'warn' : 'error', 'listen-error', { path, error, code }),
    writeFailed: (path: string, error: string, code: string) => log('warn', 'write-failed', { path, error, code }),
    shardStay: (url: string, reason: string) => log('info', 'shard-unchanged', { url, reason }),
    shardMoved: (from: string, to: string, instance: string) => log('info', 'shard-moved', { from, to, instance }),
    directoryUnreadable: (error: string, code: string) => log('warn', 'directory-unreadable-staying', { error, code }),
    shardMoveFailed: (error: string) => log('error', 'shard-move-failed', { error }),
    stopped: (sent: number, acked: number, queued: number) => log('info', 'stopped', { sent, acked, queued }),
  };
}

export type DeviceLogs = ReturnType<typeof deviceLogs>;

/**
 * At most `maxPerSecond` lines a second reach `inner`; the rest are counted and reported once the
 * next second starts, so a thousand devices losing their link at once do not flood the terminal.
 */
export function rateLimitedSink(inner: LogSink, maxPerSecond: number, nowMs: () => number = Date.now): LogSink {
  let windowStartMs = 0;
  let written = 0;
  let suppressed = 0;
  return {
    write(level, event, fields) {
      const now = nowMs();
      if (now - windowStartMs >= 1_000) {
        if (suppressed > 0) inner.write('warn', 'log-lines-suppressed', { count: suppressed, maxPerSecond });
        windowStartMs = now;
        written = 0;
        suppressed = 0;
      }
      if (written >= maxPerSecond) {
        suppressed += 1;
        return;
      }
      written += 1;
      inner.write(level, event, fields);
    },
  };
}

/**
 * The fleet's device lines: JSON lines on `stream` from `minLevel`, at most `maxPerSecond` a
 * second. The level filter comes first, so lines that would be dropped anyway do not use up the
 * budget of the warnings.
 */
export function fleetLogSink(stream: NodeJS.WritableStream, minLevel: LogLevel, maxPerSecond: number, nowMs: () => number = Date.now): LogSink {
  return levelFilteredSink(rateLimitedSink(jsonLineSink(stream, 'debug'), maxPerSecond, nowMs), minLevel);
}
