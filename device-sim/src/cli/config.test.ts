import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATA_DEFAULTS, DataSchema, RUN_DEFAULTS, RunSchema, authTarget, databaseTarget, loadConfig, resolveCredentials } from './config.js';

const dir = mkdtempSync(join(tmpdir(), 'config-'));
function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

describe('loadConfig', () => {
  it('layers flags over env over file over defaults, and freezes', () => {
    const config = loadConfig(RunSchema, RUN_DEFAULTS, {
      file: file('a.json', { device: 'from-file', transport: 'sdk', maxQueued: 7, durationMs: 5 }),
      env: { DEVICE_SIM_DEVICE: 'from-env', DEVICE_SIM_DURATION_MS: '9' },
      flags: { device: 'from-flag' },
    });
    expect(config.device).toBe('from-flag');
    expect(config.durationMs).toBe(9);
    expect(config.transport).toBe('sdk');
    expect(config.maxQueued).toBe(7);
    expect(config.databaseEmulatorHost).toBe('127.0.0.1:9000');
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('says which option is wrong and where it came from', () => {
    expect(() => loadConfig(RunSchema, RUN_DEFAULTS, { env: { FIREBASE_DATABASE_EMULATOR_HOST: 'nonsense' }, flags: { device: 'Bad_Id' } })).toThrow(
      /--database-emulator-host \/ FIREBASE_DATABASE_EMULATOR_HOST \(from environment\): must be host:port[\s\S]*--device \/ DEVICE_SIM_DEVICE \(from flag\): must be 2\.\.63/,
    );
    expect(() => loadConfig(RunSchema, RUN_DEFAULTS, { env: {}, flags: { device: 'd1' }, file: file('b.json', { devise: 'x' }) })).toThrow(/unknown option\(s\) devise/);
    expect(() => loadConfig(RunSchema, RUN_DEFAULTS, { env: {}, flags: {}, file: file('c.json', '{nope') })).toThrow(/not a JSON object/);
  });

  it('targets the emulator unless a non-demo project and an API key are given explicitly', () => {
    const local = loadConfig(DataSchema, DATA_DEFAULTS, { env: { GCLOUD_PROJECT: 'my-prod' }, flags: {} });
    expect(databaseTarget(local)).toEqual({
      origin: 'http://127.0.0.1:9000',
      namespace: 'my-prod-default-rtdb',
      sdkUrl: 'https://my-prod-default-rtdb.firebaseio.com',
      emulatorHost: '127.0.0.1:9000',
    });
    expect(authTarget(local).emulatorHost).toBe('127.0.0.1:9099');
    expect(() => loadConfig(DataSchema, DATA_DEFAULTS, { env: { GCLOUD_PROJECT: 'my-prod' }, flags: { apiKey: 'k' } })).toThrow(/explicit --project/);
    const prod = loadConfig(DataSchema, DATA_DEFAULTS, { env: { FIREBASE_DATABASE_EMULATOR_HOST: '127.0.0.1:1' }, flags: { project: 'my-prod', apiKey: 'k' } });
    expect(databaseTarget(prod)).toEqual({
      origin: 'https://my-prod-default-rtdb.firebaseio.com',
      namespace: null,
      sdkUrl: 'https://my-prod-default-rtdb.firebaseio.com',
      emulatorHost: null,
    });
    expect(authTarget(prod)).toEqual({ emulatorHost: null, apiKey: 'k' });
  });

  it('takes credentials from flags or a file, and says how when missing', () => {
    expect(resolveCredentials({ email: 'a@b', password: 'p' }, 'run')).toEqual({ email: 'a@b', password: 'p' });
    expect(resolveCredentials({ credentialsFile: file('cred.json', { email: 'c@d', password: 'q' }) }, 'run')).toEqual({ email: 'c@d', password: 'q' });
    expect(() => resolveCredentials({}, 'run')).toThrow(/--email and --password/);
  });
});
