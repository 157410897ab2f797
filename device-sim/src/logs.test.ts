import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { deviceLogs, fleetLogSink, rateLimitedSink, type LogSink } from './logs.js';

function capture() {
  const lines: { level: string; event: string; fields: Record<string, unknown> }[] = [];
  const sink: LogSink = { write: (level, event, fields) => lines.push({ level, event, fields }) };
  return { lines, sink };
}

describe('logs', () => {
  it('puts the device id on every device line', () => {
    const { lines, sink } = capture();
    const logs = deviceLogs(sink, 'dev-9');
    logs.offline('ECONNREFUSED', 3);
    logs.commandAcked('-C1', 'reboot', 'ok');
    expect(lines).toEqual([
      { level: 'warn', event: 'offline', fields: { deviceId: 'dev-9', reason: 'ECONNREFUSED', queued: 3 } },
      { level: 'info', event: 'command-acked', fields: { deviceId: 'dev-9', commandId: '-C1', type: 'reboot', status: 'ok' } },
    ]);
  });

  it('limits lines per second and reports how many it dropped', () => {
    const { lines, sink } = capture();
    let now = 10_000;
    const limited = rateLimitedSink(sink, 2, () => now);
    for (let i = 0; i < 5; i += 1) limited.write('warn', 'offline', { i });
    now += 1_000;
    limited.write('warn', 'online', {});
    expect(lines.map((l) => l.event)).toEqual(['offline', 'offline', 'log-lines-suppressed', 'online']);
    expect(lines[2]!.fields).toEqual({ count: 3, maxPerSecond: 2 });
  });

  it('in a fleet, lines below the level do not use up the budget, so warnings still get through', () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (chunk: Buffer) => (text += chunk.toString()));
    let now = 10_000;
    const sink = fleetLogSink(out, 'warn', 20, () => now);
    for (let i = 0; i < 50; i += 1) sink.write('info', 'config-applied', { i });
    sink.write('warn', 'offline', { reason: 'ECONNRESET' });
    now += 1_000;
    sink.write('warn', 'online', {});
    const events = text.trim().split('\n').map((line) => (JSON.parse(line) as { event: string }).event);
    expect(events).toEqual(['offline', 'online']);
  });
});
