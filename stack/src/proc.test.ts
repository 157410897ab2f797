import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mainThreadSchedMs, processCpuMs } from './proc.js';

const linux = existsSync(`/proc/${process.pid}/schedstat`);
if (!linux) console.warn('proc.test.ts: /proc/<pid>/schedstat is missing here; the scheduler figures are not tested');

describe.runIf(linux)('process figures from /proc', () => {
  it('counts the time the main thread runs', () => {
    const before = mainThreadSchedMs(process.pid)!;
    const until = performance.now() + 60;
    let spins = 0;
    while (performance.now() < until) spins++;
    const after = mainThreadSchedMs(process.pid)!;
    expect(spins).toBeGreaterThan(0);
    expect(after.runMs - before.runMs).toBeGreaterThanOrEqual(40);
    expect(after.waitMs).toBeGreaterThanOrEqual(before.waitMs);
    expect(after.slices).toBeGreaterThanOrEqual(before.slices);
  });

  it('answers null for a process that does not exist', () => {
    expect(mainThreadSchedMs(2 ** 22 + 1)).toBeNull();
    expect(processCpuMs(2 ** 22 + 1)).toBeNull();
  });
});
