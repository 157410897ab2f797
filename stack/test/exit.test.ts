// A process that exits without stopping its stack (say, a test whose hook timed out while the stack
// was still starting) takes the stack's child processes with it.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventually } from '../src/index.js';

describe('a process exiting without stop()', () => {
  it('leaves no service process behind', async () => {
    const result = spawnSync(process.execPath, [join(import.meta.dirname, 'fixtures', 'exit-without-stop.mjs')], { encoding: 'utf8', timeout: 120_000 });
    expect(result.status, result.stderr).toBe(0);
    const pids = JSON.parse(result.stdout.trim()) as number[];
    expect(pids).toHaveLength(1);
    for (const pid of pids) {
      await eventually(`process group ${pid} gone`, () => {
        try {
          process.kill(-pid, 0);
          return undefined;
        } catch {
          return true;
        }
      });
    }
  });
});
