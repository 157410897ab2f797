import { afterEach, describe, expect, it, vi } from 'vitest';
import { flushStderr, stderrSink } from './logs.js';

describe('stderrSink', () => {
  afterEach(() => vi.restoreAllMocks());

  it('writes the lines of one event-loop turn in one write, in order', async () => {
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    stderrSink('rtdb-emulator: a');
    stderrSink('rtdb-emulator: b');
    stderrSink('functions: c');
    expect(write).not.toHaveBeenCalled();
    await new Promise((resolve) => setImmediate(resolve));
    expect(write.mock.calls).toEqual([['rtdb-emulator: a\nrtdb-emulator: b\nfunctions: c\n']]);
  });

  it('flushStderr writes the queued lines at once (before a direct stderr write)', () => {
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    stderrSink('rtdb-emulator: stopped');
    flushStderr();
    expect(write.mock.calls).toEqual([['rtdb-emulator: stopped\n']]);
    flushStderr();
    expect(write).toHaveBeenCalledTimes(1);
  });
});
