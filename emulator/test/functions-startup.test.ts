// Writes at the edges of an emulator's life still fire their triggers. At start, the server
// already listens (the host needs its port), so client traffic is held until the host has
// subscribed: found when a device reconnected to a restarted emulator faster than the functions
// package loaded. At stop, queued events finish before the port closes and the host goes.
import { TEST_PROJECT_ID } from './functions-env.js';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { expect, it } from 'vitest';
import { startEmulator } from '../src/index.js';
import { waitFunctionsIdleRemote } from '../src/functions/index.js';
import { LogCapture } from './functions-helpers.js';

const NS = `${TEST_PROJECT_ID}-default-rtdb`;
const LOAD_DELAY_MS = 1_500;

/** A functions package that re-exports the fixture after a slow start-up. */
function slowLoadingFunctions(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rtdb-slow-functions-'));
  const fixture = pathToFileURL(fileURLToPath(new URL('./fixtures/functions/index.js', import.meta.url))).href;
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'slow-functions', type: 'module', main: 'index.js' }));
  writeFileSync(join(dir, 'index.js'), `await new Promise((r) => setTimeout(r, ${LOAD_DELAY_MS}));\nexport * from ${JSON.stringify(fixture)};\n`);
  return dir;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

it('fires triggers for writes that arrive while the functions package is still loading', async () => {
  const port = await freePort();
  const logs = new LogCapture();
  const starting = startEmulator({ port, projectId: TEST_PROJECT_ID, functions: slowLoadingFunctions(), log: logs.log });
  const base = `http://127.0.0.1:${port}`;
  // Send the write as soon as the port accepts connections, well before the package has loaded.
  let write: Response | null = null;
  const deadline = Date.now() + 10_000;
  while (write === null && Date.now() < deadline) {
    try {
      write = await fetch(`${base}/items/early.json?ns=${NS}&auth=owner`, { method: 'PUT', body: JSON.stringify({ n: 1 }) });
    } catch {
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  const emulator = await starting;
  try {
    expect(write?.status).toBe(200);
    await waitFunctionsIdleRemote(emulator.url, 20_000);
    const created = await (await fetch(`${base}/log/created/items%7Cearly.json?ns=${NS}&auth=owner`)).json();
    expect(created).toMatchObject({ value: { n: 1 }, ref: 'items/early', count: 1 });
  } finally {
    await emulator.stop();
  }
}, 60_000);

it('lets queued function events finish before it stops, so the export holds their writes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rtdb-stop-'));
  const exportFile = join(dir, 'export.json');
  const fixture = fileURLToPath(new URL('./fixtures/functions', import.meta.url));
  const logs = new LogCapture();
  const emulator = await startEmulator({ port: 0, projectId: TEST_PROJECT_ID, functions: fixture, export: exportFile, log: logs.log });
  const write = await fetch(`${emulator.url}/items/late.json?ns=${NS}&auth=owner`, { method: 'PUT', body: JSON.stringify({ n: 2 }) });
  expect(write.status).toBe(200);
  // Stop at once: the trigger for that write is still queued or running.
  await emulator.stop();
  const exported = JSON.parse(readFileSync(exportFile, 'utf8')) as { items?: unknown; log?: { created?: Record<string, unknown> } };
  expect(exported.items).toEqual({ late: { n: 2 } });
  expect(exported.log?.created?.['items|late']).toMatchObject({ value: { n: 2 }, ref: 'items/late', count: 1 });
}, 60_000);
