import { describe, expect, it } from 'vitest';
import { createLogs } from './logs.js';

describe('functions host logs', () => {
  it('without invocation lines, still logs failures, timeouts and function output', () => {
    const lines: string[] = [];
    const quiet = createLogs((line) => lines.push(line), { invocations: false });
    quiet.invoked('onReadingCreated', 'created /devices/d/readings/r', 3.2, 1);
    quiet.failed('onReadingCreated', 'created /devices/d/readings/r', 5, 1, 'Error: boom', null);
    quiet.timedOut('onReadingCreated', 'created /devices/d/readings/r', 60);
    quiet.workerOutput('{"severity":"INFO","message":"hi"}');
    expect(lines).toHaveLength(3);
    expect(lines.some((l) => / ok in /.test(l))).toBe(false);
    expect(lines[0]).toMatch(/onReadingCreated created \/devices\/d\/readings\/r FAILED in 5\.0 ms/);

    const all: string[] = [];
    createLogs((line) => all.push(line)).invoked('onReadingCreated', 'created /devices/d/readings/r', 3.2, 1);
    expect(all).toEqual(['functions: onReadingCreated created /devices/d/readings/r ok in 3.2 ms']);
  });
});
