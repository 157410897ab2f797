import { afterEach, describe, expect, it } from 'vitest';
import { openProvisioner } from './provisioner.js';

const saved = { auth: process.env.FIREBASE_AUTH_EMULATOR_HOST, db: process.env.FIREBASE_DATABASE_EMULATOR_HOST };
afterEach(() => {
  process.env.FIREBASE_AUTH_EMULATOR_HOST = saved.auth;
  process.env.FIREBASE_DATABASE_EMULATOR_HOST = saved.db;
});

describe('openProvisioner', () => {
  it('points both Admin SDK emulator variables at the target, replacing stale ones', async () => {
    process.env.FIREBASE_AUTH_EMULATOR_HOST = '127.0.0.1:9';
    process.env.FIREBASE_DATABASE_EMULATOR_HOST = '127.0.0.1:9';
    const provisioner = openProvisioner({ kind: 'emulators', projectId: 'demo-x', authEmulatorHost: '127.0.0.1:4101', databaseEmulatorHost: '127.0.0.1:4102', namespace: 'demo-x-default-rtdb' });
    try {
      expect(process.env.FIREBASE_AUTH_EMULATOR_HOST).toBe('127.0.0.1:4101');
      expect(process.env.FIREBASE_DATABASE_EMULATOR_HOST).toBe('127.0.0.1:4102');
    } finally {
      await provisioner.close();
    }
  });

  it('refuses a real project while emulator variables are set in the process', () => {
    process.env.FIREBASE_DATABASE_EMULATOR_HOST = '127.0.0.1:9000';
    expect(() => openProvisioner({ kind: 'project', projectId: 'my-project-123', databaseUrl: 'https://my-project-123-default-rtdb.firebaseio.com' })).toThrow(/refusing.*FIREBASE_DATABASE_EMULATOR_HOST/);
  });
});
