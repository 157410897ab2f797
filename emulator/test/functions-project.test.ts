// The project's own functions package (functions/lib, built) through the host: discovery,
// and the core loop (a reading → state written back, the reading stamped). Skipped loudly
// when the package is not built yet.
import { TEST_PROJECT_ID } from './functions-env.js';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../src/index.js';
import { waitFunctionsIdleRemote } from '../src/functions/index.js';
import { LogCapture } from './functions-helpers.js';

const functionsDir = fileURLToPath(new URL('../../functions', import.meta.url));
const main = (JSON.parse(readFileSync(join(functionsDir, 'package.json'), 'utf8')) as { main?: string }).main ?? 'index.js';
const built = existsSync(join(functionsDir, main));
if (!built) {
  console.warn(`[functions host] SKIPPED the project's functions: ${main} is not built (npm run build -w functions)`);
}

describe.skipIf(!built)("the project's functions through the host", () => {
  const NS = `${TEST_PROJECT_ID}-default-rtdb`;
  const logs = new LogCapture();
  let emulator: RunningEmulator;
  let db: import('firebase-admin/database').Database;
  let close: () => Promise<void>;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, projectId: TEST_PROJECT_ID, functions: functionsDir, runSchedulesOnTimer: false, log: logs.log });
    process.env['FIREBASE_DATABASE_EMULATOR_HOST'] = emulator.hostPort;
    const { initializeApp, deleteApp } = await import('firebase-admin/app');
    const { getDatabase } = await import('firebase-admin/database');
    const app = initializeApp({ projectId: TEST_PROJECT_ID, databaseURL: `http://${emulator.hostPort}?ns=${NS}` }, 'project-functions');
    db = getDatabase(app);
    close = () => deleteApp(app);
  });

  afterAll(async () => {
    await close?.();
    await emulator?.stop();
  });

  it('finds the reading trigger and the schedules, and skips nothing silently', () => {
    const report = logs.matching(/functions: loaded .*database trigger/);
    expect(report).toHaveLength(1);
    expect(report[0]).toMatch(/trigger {2}onReadingCreated {2}on created \/devices\/\{deviceId\}\/readings\/\{readingId\}/);
    expect(report[0]).toMatch(/schedule /);
  });

  it('writes state back and stamps the reading when a device pushes a reading', async () => {
    await db.ref('devices/sim-1').set({
      meta: { name: 'sim 1', owner: 'u1', createdAt: Date.now() },
      config: { mapping: { inMin: 0, inMax: 4095, outMin: 0, outMax: 180, invert: false }, sampleMs: 1000, heartbeatMs: 30000 },
    });
    await db.ref('devices/sim-1/readings/r1').set({ ir: 4095, seq: 1 });
    await waitFunctionsIdleRemote(emulator.url);
    const device = (await db.ref('devices/sim-1').get()).val() as {
      state?: { readingId?: string; angle?: number };
      readings: { r1: { ts?: unknown } };
    };
    expect(device.state?.readingId).toBe('r1');
    expect(typeof device.state?.angle).toBe('number');
    expect(typeof device.readings.r1.ts).toBe('number');
    expect(logs.matching(/onReadingCreated created \/devices\/sim-1\/readings\/r1 ok/)).toHaveLength(1);
  });
});
