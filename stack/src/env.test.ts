import { afterEach, describe, expect, it } from 'vitest';
import { applyEnvGuard } from './env.js';

const saved = { ...process.env };

describe('the env guard', () => {
  afterEach(() => {
    process.env = { ...saved };
  });

  it('sets the demo project and loopback emulator hosts', () => {
    delete process.env.FIREBASE_DATABASE_EMULATOR_HOST;
    delete process.env.FIREBASE_AUTH_EMULATOR_HOST;
    process.env.GCLOUD_PROJECT = 'real-project';
    applyEnvGuard();
    expect(process.env.GCLOUD_PROJECT).toBe('demo-firelink');
    expect(process.env.GOOGLE_CLOUD_PROJECT).toBe('demo-firelink');
    expect(process.env.FIREBASE_DATABASE_EMULATOR_HOST).toBe('127.0.0.1:9');
    expect(process.env.FIREBASE_AUTH_EMULATOR_HOST).toBe('127.0.0.1:9');
    expect(process.env.CI).toBe('true');
  });

  it('keeps a loopback host that is already set', () => {
    process.env.FIREBASE_DATABASE_EMULATOR_HOST = '127.0.0.1:9000';
    applyEnvGuard();
    expect(process.env.FIREBASE_DATABASE_EMULATOR_HOST).toBe('127.0.0.1:9000');
  });

  it('refuses an emulator host off this machine', () => {
    process.env.FIREBASE_AUTH_EMULATOR_HOST = 'example.com:9099';
    expect(() => applyEnvGuard()).toThrow(/FIREBASE_AUTH_EMULATOR_HOST=example.com:9099 is not a loopback host:port/);
  });
});
