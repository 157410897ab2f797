// killDatabase(): the database service crashes (SIGKILL) with its functions worker, and
// restartDatabase() brings it back on the same port from its data folder (acknowledged writes kept).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processGroupAlive, processTree, startStack, type Stack } from '../src/index.js';

describe('killDatabase of a child-process database with a data folder', () => {
  let stack: Stack;
  const dataDir = mkdtempSync(join(tmpdir(), 'firelink-kill-db-'));
  beforeAll(async () => {
    stack = await startStack({ processes: 'child', auth: false, functions: true, dataDir });
  });
  afterAll(async () => {
    await stack?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const url = (path: string) => `${stack.urls.database}/${path}.json?ns=${stack.namespace}&auth=owner`;

  it('SIGKILL ends the emulator and its functions worker; a restart on the same port keeps acknowledged writes', async () => {
    const put = await fetch(url('zones/kill-z1/name'), { method: 'PUT', body: JSON.stringify('Hall') });
    expect(put.status).toBe(200);
    const before = stack.services().find((s) => s.name === 'database')!;
    expect(before.running).toBe(true);
    expect(processTree(before.pid!).length, 'the functions worker runs beside the emulator').toBeGreaterThan(1);

    const exit = await stack.killDatabase('SIGKILL');
    expect(exit.signal).toBe('SIGKILL');
    expect(stack.services().find((s) => s.name === 'database')!.running).toBe(false);
    expect(processGroupAlive(before.pid!), 'a process of the killed database group is left').toBe(false);
    await expect(fetch(url('zones/kill-z1/name'))).rejects.toThrow();

    await stack.restartDatabase();
    const after = stack.services().find((s) => s.name === 'database')!;
    expect(after.pid).not.toBe(before.pid);
    expect(await (await fetch(url('zones/kill-z1/name'))).json()).toBe('Hall');
  });

  it('refuses to kill a database that is not a child process', async () => {
    const inProcess = await startStack({ processes: 'in-process', auth: false, functions: false });
    try {
      await expect(inProcess.killDatabase()).rejects.toThrow(/only a child-process database/);
    } finally {
      await inProcess.stop();
    }
  });
});
