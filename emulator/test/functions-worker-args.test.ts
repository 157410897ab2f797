// RTDB_EMULATOR_WORKER_NODE_ARGS reaches the worker, and a stopping host lets a profiled worker
// exit by itself, so `--cpu-prof` writes its profile (a SIGKILL would lose it).
import { TEST_PROJECT_ID } from './functions-env.js';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startFunctionsHost } from '../src/functions/index.js';
import { WORKER_NODE_ARGS_ENV } from '../src/functions/worker-process.js';
import { FakeDatabase, LogCapture } from './functions-helpers.js';

const fixtureDir = fileURLToPath(new URL('./fixtures/functions/log-only', import.meta.url));
const profileDir = mkdtempSync(join(tmpdir(), 'worker-args-'));

afterEach(() => {
  delete process.env[WORKER_NODE_ARGS_ENV];
  rmSync(profileDir, { recursive: true, force: true });
});

describe('functions worker Node flags', () => {
  it('passes RTDB_EMULATOR_WORKER_NODE_ARGS to the worker; --cpu-prof writes a profile at stop', async () => {
    process.env[WORKER_NODE_ARGS_ENV] = `--cpu-prof --cpu-prof-dir=${profileDir}`;
    const host = await startFunctionsHost({
      functionsDir: fixtureDir,
      projectId: TEST_PROJECT_ID,
      databaseHost: '127.0.0.1:9',
      commits: new FakeDatabase(),
      log: new LogCapture().log,
      watch: false,
      runSchedulesOnTimer: false,
    });
    expect(host.triggers.length).toBeGreaterThan(0);
    await host.stop();
    expect(readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile'))).toHaveLength(1);
  });
});
