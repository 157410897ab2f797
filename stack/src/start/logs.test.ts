import { describe, expect, it } from 'vitest';
import { classifyLine } from './logs.js';

describe('the quiet filter', () => {
  it.each([
    ['[fleet] online 3/3 | readings/s sent 3 acked 3 | states/s 3 | latency p50 33 ms p99 54 ms | queued 0 | errors 0', 'summary'],
    ['[fleet] {"time":"x","level":"warn","event":"write-failed","deviceId":"demo-0001"}', 'problem'],
    ['[fleet] {"time":"x","level":"info","event":"online","deviceId":"demo-0001"}', 'detail'],
    ['[fleet]     "sent": 13,', 'detail'],
    ['[database] functions: onReadingCreated created /devices/demo-0001/readings/-P7p ok in 58.3 ms', 'detail'],
    ['[database] functions: [worker] {"severity":"INFO","message":"reading mapped"}', 'detail'],
    ['[database] functions: [worker] {"severity":"WARNING","message":"bad reading"}', 'problem'],
    ['[database] functions: onReadingCreated created /devices/x/readings/y failed in 3 ms: boom', 'problem'],
    ['[database] rtdb-emulator: rules-rejected source=database.rules.json error="line 3"', 'problem'],
    ['[database] rtdb-emulator: connection-error transport=http error="read ECONNRESET"', 'detail'],
    ['[database] rtdb-emulator: connection-error transport=ws error="invalid frame"', 'problem'],
    ['[database] rtdb-emulator: ready url=http://127.0.0.1:9000 startupMs=1578', 'detail'],
    ['[auth] i  emulators: Starting emulators: auth', 'detail'],
    ['[auth] ⚠  emulators: The Emulator UI is not starting because none of the running emulators have a UI component.', 'detail'],
    ['[auth] ⚠  auth: something odd', 'problem'],
  ])('%s -> %s', (line, kind) => {
    expect(classifyLine(line)).toBe(kind);
  });
});
