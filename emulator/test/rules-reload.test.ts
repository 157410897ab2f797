// Rules from a file: loaded at start (a bad file refuses to start), reloaded when the file
// changes, and a bad edit keeps the previous rules in force with a message naming the rules path.
import './rules-env.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../src/index.js';

const PROJECT_ID = 'demo-rules-reload';
const NS = `${PROJECT_ID}-default-rtdb`;
const OPEN = '{\n  // readable by anyone\n  "rules": { "doc": { ".read": true } }\n}\n';
const CLOSED = '{ "rules": { "doc": { ".read": "auth != null" } } }';
const BROKEN = '{ "rules": { "doc": { ".read": "auth != null &&" } } }';

let dir: string;
let file: string;
let emulator: RunningEmulator;
const logLines: string[] = [];

async function readStatus(): Promise<number> {
  const response = await fetch(`${emulator.url}/doc.json?ns=${NS}`);
  await response.arrayBuffer();
  return response.status;
}

/** Polls until `probe` returns `expected` (file watching is asynchronous); returns the last value seen. */
async function eventually<T>(probe: () => Promise<T>, expected: T, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await probe();
  while (last !== expected && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    last = await probe();
  }
  return last;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rules-reload-'));
  file = join(dir, 'database.rules.json');
  writeFileSync(file, OPEN);
  emulator = await startEmulator({ port: 0, projectId: PROJECT_ID, rules: file, log: (line) => logLines.push(line) });
});

afterAll(async () => {
  await emulator?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('rules file', () => {
  it('applies the file at start, comments allowed', async () => {
    expect(await readStatus()).toBe(200);
  });

  it('reloads the file when it changes', async () => {
    writeFileSync(file, CLOSED);
    expect(await eventually(readStatus, 401)).toBe(401);
  });

  it('keeps the previous rules when an edit does not compile, and says where', async () => {
    writeFileSync(file, BROKEN);
    const logged = await eventually(async () => logLines.some((line) => line.includes('/rules/doc/.read')), true);
    expect(logged, `log lines: ${logLines.join('\n')}`).toBe(true);
    expect(await readStatus()).toBe(401);
    writeFileSync(file, OPEN);
    expect(await eventually(readStatus, 200)).toBe(200);
  });

  it('refuses to start with a rules file that does not compile', async () => {
    const bad = join(dir, 'bad.rules.json');
    writeFileSync(bad, BROKEN);
    await expect(startEmulator({ port: 0, projectId: PROJECT_ID, rules: bad, log: () => {} })).rejects.toThrow(/\/rules\/doc\/\.read.*line 1 col \d+/);
  });
});
