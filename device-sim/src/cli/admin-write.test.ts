import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from './main.js';

/** Runs the CLI against a fake emulator that answers every request from `tree`. */
async function cli(args: string[], tree: Record<string, unknown> = {}) {
  const requests: { method: string; url: string; body: unknown }[] = [];
  const fetchStub = (async (url: string | URL, init?: RequestInit) => {
    const method = init?.method ?? 'GET';
    requests.push({ method, url: String(url), body: init?.body === undefined ? undefined : JSON.parse(String(init.body)) });
    const path = new URL(String(url)).pathname.replace(/\.json$/, '').split('/').filter(Boolean);
    let node: unknown = tree;
    for (const key of path) node = node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
    return method === 'GET' ? new Response(JSON.stringify(node ?? null), { status: 200 }) : new Response(null, { status: 204 });
  }) as typeof fetch;
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let err = '';
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  stdout.resume();
  const code = await main(args, { stdout, stderr, env: {}, signal: new AbortController().signal, fetch: fetchStub });
  return { code, err, writes: requests.filter((r) => r.method !== 'GET') };
}

describe('--admin writes are validated with the model schemas', () => {
  it('refuses a calibrate command without args.bound, writing nothing (exit 7)', async () => {
    const { code, err, writes } = await cli(['set', 'devices/dev-1/commands/-C1', '{"type":"calibrate","createdAt":1}', '--admin']);
    expect(code).toBe(7);
    expect(err).toMatch(/args/);
    expect(err).toMatch(/--force/);
    expect(writes).toEqual([]);
  });

  it('checks a deep write against the whole node it lands in', async () => {
    const config = { mapping: { inMin: 0, inMax: 4095, outMin: 0, outMax: 180, invert: false }, sampleMs: 1000, heartbeatMs: 60000 };
    const tree = { devices: { 'dev-1': { config } } };
    expect((await cli(['set', 'devices/dev-1/config/sampleMs', '5', '--admin'], tree)).code).toBe(7);
    expect((await cli(['update', 'devices/dev-1/config', '{"mapping/inMin": 5000}', '--admin'], tree)).code).toBe(7);
    const ok = await cli(['update', 'devices/dev-1/config', '{"sampleMs": 500}', '--admin'], tree);
    expect(ok.code).toBe(0);
    expect(ok.writes.map((w) => w.method)).toEqual(['PATCH']);
  });

  it('validates every node inside a write above them, server timestamps included', async () => {
    const cmd = '{"commands":{"-C1":{"type":"set-angle","args":{"angle":200},"createdAt":{".sv":"timestamp"}}}}';
    expect((await cli(['update', 'devices/dev-1', cmd, '--admin'])).code).toBe(7);
    const good = '{"commands":{"-C1":{"type":"set-angle","args":{"angle":20},"createdAt":{".sv":"timestamp"}}}}';
    expect((await cli(['update', 'devices/dev-1', good, '--admin'])).code).toBe(0);
  });

  it('writes anyway with --force', async () => {
    const { code, writes } = await cli(['set', 'devices/dev-1/commands/-C1', '{"type":"calibrate","createdAt":1}', '--admin', '--force']);
    expect(code).toBe(0);
    expect(writes.length).toBe(1);
  });
});
