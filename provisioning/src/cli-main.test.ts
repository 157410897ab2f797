import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from './cli-main.js';
import { ProvisionError } from './errors.js';
import type { Provisioner, ProvisionerOptions } from './provisioner.js';
import type { MoveRequest } from './move.js';
import type { Target } from './target.js';

/** Runs the CLI with a provisioner that knows one existing device, `taken`. */
async function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const targets: Target[] = [];
  const options: ProvisionerOptions[] = [];
  const moves: MoveRequest[] = [];
  const fake = (target: Target, given: ProvisionerOptions): Provisioner => {
    targets.push(target);
    options.push(given);
    // Devices go to --shard, else the first configured shard; URLs in the emulator form.
    const url = (ns: string) => (target.kind === 'project' ? `https://${ns}.firebaseio.com` : `http://127.0.0.1:9000/?ns=${ns}`);
    const directory = `${target.projectId}-default-rtdb`;
    const provision: Provisioner['provision'] = async (request) => {
      if (request.deviceId === 'taken' && !request.rotate) throw new ProvisionError('already-exists', 'device taken is already provisioned; pass --rotate to issue a new password');
      const shard = request.shard ?? given.shards?.[0]?.instance ?? directory;
      return {
        deviceId: request.deviceId,
        uid: `device-${request.deviceId}`,
        email: `${request.deviceId}@devices.firelink.local`,
        password: '0123456789ABCD01',
        owner: request.ownerUid,
        zone: request.zone ?? null,
        rotated: request.rotate === true,
        shard,
        databaseUrl: url(shard),
        directoryUrl: url(directory),
      };
    };
    const move: Provisioner['move'] = async (request) => {
      moves.push(request);
      if (request.to === 'nowhere') throw new ProvisionError('invalid-argument', '--to nowhere is not a configured instance');
      return {
        status: 'moved',
        deviceId: request.deviceId,
        from: 'demo-firelink-default-rtdb',
        to: request.to,
        copied: { readings: 3, rollups: 1, delta: 1 },
        reconnect: { commandId: 'c1', wasOnline: true, acked: false, onTarget: false, waitedMs: request.waitMs ?? 0 },
        warnings: ['no ack of the reconnect command'],
      };
    };
    return { target, provision, provisionOrRotate: provision, move, shards: null as never, close: async () => {} };
  };
  const code = await main(args, { stdout, stderr, env, openProvisioner: fake });
  return { code, out, err, json: () => JSON.parse(out) as Record<string, any>, targets, options, moves };
}

describe('firelink-provision', () => {
  it('provisions in the local emulators by default and prints JSON with a ready secrets.h', async () => {
    const r = await cli(['--device', 'dev-7', '--owner', 'alice', '--zone', 'lab']);
    expect(r.code).toBe(0);
    expect(r.targets[0]).toMatchObject({ kind: 'emulators', projectId: 'demo-firelink', databaseEmulatorHost: '127.0.0.1:9000' });
    const result = r.json();
    expect(result).toMatchObject({ status: 'created', device: { deviceId: 'dev-7', email: 'dev-7@devices.firelink.local', zone: 'lab' } });
    expect(result.secretsH).toContain('#define FIRELINK_DEVICE_ID "dev-7"');
    expect(result.secretsH).toContain('#define FIRELINK_DEVICE_EMAIL "dev-7@devices.firelink.local"');
    expect(result.secretsH).toContain('#define FIRELINK_DATABASE_URL "http://127.0.0.1:9000/?ns=demo-firelink-default-rtdb"');
    expect(result.secretsH).toContain('#define FIRELINK_DIRECTORY_URL "http://127.0.0.1:9000/?ns=demo-firelink-default-rtdb"');
    expect(result.device).toMatchObject({ shard: 'demo-firelink-default-rtdb', directoryUrl: 'http://127.0.0.1:9000/?ns=demo-firelink-default-rtdb' });
    expect(r.options[0]).toEqual({ shards: null });
    expect(result.secretsH).toContain('#define FIRELINK_WIFI_SSID');
    expect(result.secretsH).not.toContain('0123456789ABCD01');
    expect(r.err).toContain('#pragma once');
  });

  it('reports an existing device without failing, unless --fail-if-exists', async () => {
    const soft = await cli(['--device', 'taken', '--owner', 'alice']);
    expect(soft.code).toBe(0);
    expect(soft.json()).toMatchObject({ status: 'already-exists', deviceId: 'taken' });
    const strict = await cli(['--device', 'taken', '--owner', 'alice', '--fail-if-exists']);
    expect(strict.code).toBe(3);
    const rotated = await cli(['--device', 'taken', '--owner', 'alice', '--rotate']);
    expect(rotated.json()).toMatchObject({ status: 'rotated' });
  });

  it('targets a real project only by --project, with its database URL and API key in secrets.h', async () => {
    const r = await cli(['--device', 'dev-7', '--owner', 'alice', '--project', 'my-project-123', '--api-key', 'AIzaTest']);
    expect(r.code).toBe(0);
    expect(r.targets[0]).toEqual({ kind: 'project', projectId: 'my-project-123', databaseUrl: 'https://my-project-123-default-rtdb.firebaseio.com' });
    expect(r.json().secretsH).toContain('#define FIRELINK_API_KEY "AIzaTest"');
    expect(r.json().secretsH).toContain('#define FIRELINK_DATABASE_URL "https://my-project-123-default-rtdb.firebaseio.com"');
    // GCLOUD_PROJECT alone never leaves the emulators.
    expect((await cli(['--device', 'd2', '--owner', 'a'], { GCLOUD_PROJECT: 'my-project-123' })).targets[0]).toMatchObject({ kind: 'emulators' });
  });

  it('refuses a real project while emulator variables are set (exit 5, JSON error)', async () => {
    const r = await cli(['--device', 'dev-7', '--owner', 'alice', '--project', 'my-project-123'], { FIREBASE_AUTH_EMULATOR_HOST: '127.0.0.1:9099' });
    expect(r.code).toBe(5);
    expect(r.json()).toMatchObject({ status: 'error', code: 'unsafe-target' });
    expect(r.targets).toEqual([]);
  });

  it('exits 2 on usage errors', async () => {
    const missing = await cli(['--owner', 'alice']);
    expect(missing.code).toBe(2);
    expect(missing.json()).toMatchObject({ status: 'error', code: 'invalid-argument', message: expect.stringContaining('--device') });
    expect((await cli(['--device', 'x', '--owner', 'a', '--bogus'])).code).toBe(2);
    expect((await cli(['--help'])).code).toBe(0);
  });

  it('takes the shard list from --shards, else FIRELINK_SHARDS, and --shard; secrets.h names the shard and the directory', async () => {
    const r = await cli(['--device', 'dev-8', '--owner', 'alice', '--shards', 'demo-firelink-default-rtdb,demo-firelink-shard-1:500', '--shard', 'demo-firelink-shard-1']);
    expect(r.code).toBe(0);
    expect(r.options[0]).toEqual({ shards: [{ instance: 'demo-firelink-default-rtdb' }, { instance: 'demo-firelink-shard-1', capacity: 500 }] });
    const secrets = r.json().secretsH as string;
    expect(secrets).toContain('#define FIRELINK_DATABASE_URL "http://127.0.0.1:9000/?ns=demo-firelink-shard-1"');
    expect(secrets).toContain('#define FIRELINK_DIRECTORY_URL "http://127.0.0.1:9000/?ns=demo-firelink-default-rtdb"');
    expect(r.json().device).toMatchObject({ shard: 'demo-firelink-shard-1', databaseUrl: 'http://127.0.0.1:9000/?ns=demo-firelink-shard-1' });
    const fromEnv = await cli(['--device', 'dev-9', '--owner', 'alice'], { FIRELINK_SHARDS: 'demo-firelink-shard-2' });
    expect(fromEnv.options[0]).toEqual({ shards: [{ instance: 'demo-firelink-shard-2' }] });
    expect(fromEnv.json().device.shard).toBe('demo-firelink-shard-2');
    const bad = await cli(['--device', 'dev-9', '--owner', 'alice', '--shards', 'Bad_Name']);
    expect(bad.code).toBe(2);
    expect(bad.json()).toMatchObject({ status: 'error', code: 'invalid-argument', message: expect.stringContaining('--shards') });
    const twice = await cli(['--device', 'dev-9', '--owner', 'alice'], { FIRELINK_SHARDS: 'a-1,a-1' });
    expect(twice.json().message).toMatch(/FIRELINK_SHARDS: a-1 is listed twice/);
  });

  it('move: runs the move with --to and --wait-ms and prints its report; bad input exits 2', async () => {
    const r = await cli(['move', '--device', 'dev-7', '--to', 'demo-firelink-shard-1', '--wait-ms', '500', '--shards', 'demo-firelink-shard-1']);
    expect(r.code).toBe(0);
    expect(r.moves).toEqual([{ deviceId: 'dev-7', to: 'demo-firelink-shard-1', waitMs: 500 }]);
    expect(r.json()).toMatchObject({ status: 'moved', to: 'demo-firelink-shard-1', copied: { readings: 3 }, target: { kind: 'emulators' } });
    expect(r.err).toContain('warning: no ack of the reconnect command');
    expect((await cli(['move', '--device', 'dev-7'])).json()).toMatchObject({ code: 'invalid-argument', message: expect.stringContaining('--to') });
    const badWait = await cli(['move', '--device', 'dev-7', '--to', 'x-1', '--wait-ms', 'soon']);
    expect(badWait.code).toBe(2);
    expect(badWait.json().message).toMatch(/--wait-ms/);
    const nowhere = await cli(['move', '--device', 'dev-7', '--to', 'nowhere']);
    expect(nowhere.code).toBe(2);
    expect(nowhere.json().message).toContain('not a configured instance');
  });
});
