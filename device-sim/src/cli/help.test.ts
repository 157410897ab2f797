import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from './main.js';

async function cli(args: string[], env: NodeJS.ProcessEnv = {}, fetchStub?: typeof fetch) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const code = await main(args, { stdout, stderr, env, signal: new AbortController().signal, ...(fetchStub ? { fetch: fetchStub } : {}) });
  return { code, out, err };
}

describe('--help and option precedence', () => {
  it('shows defaults and environment variables through commander', async () => {
    const fleet = await cli(['fleet', '--help']);
    expect(fleet.code).toBe(0);
    // Help wraps at the terminal width: compare with whitespace collapsed.
    const text = fleet.out.replace(/\s+/g, ' ');
    expect(text).toContain('--count <n> number of devices (env: DEVICE_SIM_COUNT)');
    expect(text).toContain('(default: 10000)');
    expect(text).toContain('--database-emulator-host <host:port> RTDB emulator (default: "127.0.0.1:9000", env: FIREBASE_DATABASE_EMULATOR_HOST)');
    expect((await cli(['run', '--help'])).out.replace(/\s+/g, ' ')).toContain('(default: 10000)');
  });

  it('a commander default never overrides the config file, nor a variable the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'device-sim-help-'));
    const file = join(dir, 'c.json');
    writeFileSync(file, JSON.stringify({ databaseEmulatorHost: '127.0.0.1:4001' }));
    const urls: string[] = [];
    const stub = (async (url: string | URL) => {
      urls.push(String(url));
      return new Response('null', { status: 200 });
    }) as typeof fetch;
    expect((await cli(['get', 'x', '--admin', '--config', file], {}, stub)).code).toBe(0);
    expect((await cli(['get', 'x', '--admin', '--config', file], { FIREBASE_DATABASE_EMULATOR_HOST: '127.0.0.1:4002' }, stub)).code).toBe(0);
    expect((await cli(['get', 'x', '--admin', '--config', file, '--database-emulator-host', '127.0.0.1:4003'], { FIREBASE_DATABASE_EMULATOR_HOST: '127.0.0.1:4002' }, stub)).code).toBe(0);
    expect(urls.map((u) => new URL(u).host)).toEqual(['127.0.0.1:4001', '127.0.0.1:4002', '127.0.0.1:4003']);
  });
});
