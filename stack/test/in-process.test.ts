// processes: 'in-process', no Auth: the database-only stack the functions tests use (mock tokens,
// the emulator's commit stream).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDatabase } from 'firebase-admin/database';
import { functionsIdle, runSchedule, startStack, type Stack } from '../src/index.js';

describe('startStack in-process without Auth', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ processes: 'in-process', auth: false, functions: true });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('exposes the running emulator and no child process', () => {
    expect(stack.emulator).not.toBeNull();
    expect(stack.emulator!.hostPort).toBe(stack.hosts.database);
    expect(stack.services()).toEqual([]);
  });

  it('commits are observable, the functions idle call and schedules work', async () => {
    const seen: string[] = [];
    const off = stack.emulator!.commits.onCommit((write) => seen.push(write.paths.map((p) => p.join('/')).join(',')));
    await getDatabase(stack.adminApp()).ref('zones/z1/name').set('Hall');
    await functionsIdle(stack);
    off();
    expect(seen).toContain('zones/z1/name');
    await expect(runSchedule(stack, 'no-such-schedule')).rejects.toThrow(/run schedule no-such-schedule: HTTP 404/);
  });

  it('restartDatabase keeps the data and hands out the new emulator', async () => {
    const first = stack.emulator;
    await stack.restartDatabase();
    expect(stack.emulator).not.toBe(first);
    expect(stack.emulator!.exportData()).toMatchObject({ zones: { z1: { name: 'Hall' } } });
  });
});
