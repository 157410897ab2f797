import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from './cli-main.js';
import { ProvisionError } from './errors.js';
import type { Provisioner } from './provisioner.js';
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
  const fake = (target: Target): Provisioner => {
    targets.push(target);
    const provision: Provisioner['provision'] = async (request) => {
      if (request.deviceId === 'taken' && !request.rotate) throw new ProvisionError('already-exists', 'device taken is already provisioned; pass --rotate to issue a new password');
      return { deviceId: request.deviceId, uid: `device-${request.deviceId}`, email: `${request.deviceId}@devices.firelink.local`, password: '0123456789ABCD01', owner: request.ownerUid, zone: request.zone ?? null, rotated: request.rotate === true };
    };
    return { target, provision, provisionOrRotate: provision, close: async () => {} };
  };
  const code = await main(args, { stdout, stderr, env, openProvisioner: fake });
  return { code, out, err, json: () => JSON.parse(out) as Record<string, any>, targets };
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
});
