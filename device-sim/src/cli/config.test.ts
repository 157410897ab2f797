import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATA_DEFAULTS, DataSchema, RUN_DEFAULTS, RunSchema, authTarget, databaseTarget, deviceUrls, loadConfig, resolveCredentials, targetOfUrl } from './config.js';

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

  it('reads the shard and directory URLs from a credentials file, and refuses a bad one', () => {
    const withUrls = { email: 'c@d', password: 'q', databaseUrl: 'http://127.0.0.1:9000/?ns=shard-1', directoryUrl: 'http://127.0.0.1:9000/?ns=p-default-rtdb' };
    expect(resolveCredentials({ credentialsFile: file('cred-urls.json', withUrls) }, 'run')).toEqual(withUrls);
    expect(() => resolveCredentials({ credentialsFile: file('cred-bad.json', { email: 'c@d', password: 'q', databaseUrl: 7 }) }, 'run')).toThrow(
      /"databaseUrl" must be a database URL \(got 7\)/,
    );
  });
});

describe('shard URLs', () => {
  const local = loadConfig(DataSchema, DATA_DEFAULTS, { env: { GCLOUD_PROJECT: 'demo-p', FIREBASE_DATABASE_EMULATOR_HOST: '127.0.0.1:9100' }, flags: {} });

  it('targets an emulator namespace from its ?ns= URL', () => {
    expect(targetOfUrl('http://127.0.0.1:9100/?ns=demo-p-shard-1', local)).toEqual({
      origin: 'http://127.0.0.1:9100',
      namespace: 'demo-p-shard-1',
      sdkUrl: 'https://demo-p-shard-1.firebaseio.com',
      emulatorHost: '127.0.0.1:9100',
    });
  });

  it('takes flags over the credentials file over the default instance', () => {
    const fromFile = { email: 'e', password: 'p', databaseUrl: 'http://127.0.0.1:9100/?ns=s1', directoryUrl: 'http://127.0.0.1:9100/?ns=dir' };
    expect(deviceUrls(local)).toEqual({ databaseUrl: 'http://127.0.0.1:9100/?ns=demo-p-default-rtdb', directoryUrl: 'http://127.0.0.1:9100/?ns=demo-p-default-rtdb' });
    expect(deviceUrls(local, fromFile)).toEqual({ databaseUrl: fromFile.databaseUrl, directoryUrl: fromFile.directoryUrl });
    // --namespace picks the database, never the directory (always the default instance).
    const ns = loadConfig(DataSchema, DATA_DEFAULTS, { env: { GCLOUD_PROJECT: 'demo-p', FIREBASE_DATABASE_EMULATOR_HOST: '127.0.0.1:9100' }, flags: { namespace: 'demo-p-shard-3' } });
    expect(deviceUrls(ns)).toEqual({ databaseUrl: 'http://127.0.0.1:9100/?ns=demo-p-shard-3', directoryUrl: 'http://127.0.0.1:9100/?ns=demo-p-default-rtdb' });
    const flagged = loadConfig(DataSchema, DATA_DEFAULTS, { env: {}, flags: { databaseUrl: 'http://127.0.0.1:9100/?ns=s2' } });
    expect(deviceUrls(flagged, fromFile)).toEqual({ databaseUrl: 'http://127.0.0.1:9100/?ns=s2', directoryUrl: fromFile.directoryUrl });
  });

  it('refuses a production URL for the emulator and an emulator URL for production', () => {
    expect(() => loadConfig(DataSchema, DATA_DEFAULTS, { env: {}, flags: { databaseUrl: 'https://p-default-rtdb.firebaseio.com' } })).toThrow(
      /--database-url https:\/\/p-default-rtdb.firebaseio.com is a real Firebase URL: also give a non-demo --project and --api-key/,
    );
    expect(() => loadConfig(DataSchema, DATA_DEFAULTS, { env: {}, flags: { project: 'my-prod', apiKey: 'k', directoryUrl: 'http://127.0.0.1:9000/?ns=x' } })).toThrow(
      /--directory-url http:\/\/127.0.0.1:9000\/\?ns=x is an emulator URL/,
    );
  });
});
