import { describe, expect, it } from 'vitest';
import { WORKER_NODE_ARGS_ENV, workerNodeArgs } from './worker-process.js';

describe('workerNodeArgs', () => {
  it('splits RTDB_EMULATOR_WORKER_NODE_ARGS on whitespace, and is empty when unset', () => {
    expect(workerNodeArgs({ [WORKER_NODE_ARGS_ENV]: ' --cpu-prof   --cpu-prof-dir=prof ' })).toEqual(['--cpu-prof', '--cpu-prof-dir=prof']);
    expect(workerNodeArgs({})).toEqual([]);
    expect(WORKER_NODE_ARGS_ENV).toBe('RTDB_EMULATOR_WORKER_NODE_ARGS');
  });
});
