import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { functionsEnv, resolveConfig, SCHEDULES_ENV } from './config.js';
import type { CommitSource } from '../contracts.js';

const commits: CommitSource = { onCommit: () => () => {} };
const dirs: string[] = [];

function pkg(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'functions-config-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  delete process.env[SCHEDULES_ENV];
});

const base = { projectId: 'demo-p', databaseHost: '127.0.0.1:9000', commits };

describe('resolveConfig', () => {
  it('resolves the entry from main and fills defaults', () => {
    const dir = pkg({ 'package.json': '{"main":"index"}', 'index.js': '' });
    const config = resolveConfig({ ...base, functionsDir: dir });
    expect(config.entryPath).toBe(join(dir, 'index.js'));
    expect(config.defaultNamespace).toBe('demo-p-default-rtdb');
    expect(config.runSchedulesOnTimer).toBe(true);
    expect(config.maxCascadeDepth).toBe(64);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('rejects bad options with what to do', () => {
    const dir = pkg({ 'package.json': '{}', 'index.js': '' });
    expect(() => resolveConfig({ ...base, functionsDir: dir, databaseHost: 'localhost' })).toThrow(/databaseHost "localhost" must be host:port/);
    expect(() => resolveConfig({ ...base, functionsDir: dir, projectId: 'no spaces' })).toThrow(/projectId/);
    expect(() => resolveConfig({ ...base, functionsDir: dir, maxCascadeDepth: 0 })).toThrow(/maxCascadeDepth/);
    const broken = pkg({ 'package.json': '{nope' });
    expect(() => resolveConfig({ ...base, functionsDir: broken })).toThrow(/not valid JSON/);
  });

  it('takes the schedule mode from RTDB_EMULATOR_SCHEDULES, validated', () => {
    const dir = pkg({ 'package.json': '{}', 'index.js': '' });
    process.env[SCHEDULES_ENV] = 'manual';
    expect(resolveConfig({ ...base, functionsDir: dir }).runSchedulesOnTimer).toBe(false);
    process.env[SCHEDULES_ENV] = 'sometimes';
    expect(() => resolveConfig({ ...base, functionsDir: dir })).toThrow(/must be "timer" or "manual"/);
  });
});

describe('functionsEnv', () => {
  it('points the SDKs at the local stack and keeps .env values, reserved names winning', () => {
    const dir = pkg({ 'package.json': '{}', 'index.js': '', '.env': 'A=1', '.env.demo-p': 'A=2', '.env.local': 'B=3' });
    const config = resolveConfig({ ...base, functionsDir: dir, authEmulatorHost: '127.0.0.1:9099' });
    // A: the .env files win over the inherited environment (npm start --verbose relies on it).
    const env = functionsEnv(config, { PATH: '/bin', A: 'inherited', NODE_OPTIONS: '--loader x', FIREBASE_AUTH_EMULATOR_HOST: 'elsewhere:1' });
    expect(env).toMatchObject({
      PATH: '/bin',
      A: '2',
      B: '3',
      GCLOUD_PROJECT: 'demo-p',
      FIREBASE_DATABASE_EMULATOR_HOST: '127.0.0.1:9000',
      FIREBASE_AUTH_EMULATOR_HOST: '127.0.0.1:9099',
      FUNCTIONS_EMULATOR: 'true',
    });
    expect(JSON.parse(env['FIREBASE_CONFIG'] as string)).toEqual({
      projectId: 'demo-p',
      databaseURL: 'http://127.0.0.1:9000/?ns=demo-p-default-rtdb',
      storageBucket: 'demo-p.appspot.com',
    });
    expect(env['NODE_OPTIONS']).toBeUndefined();
    // No Auth emulator given: an inherited one is kept rather than falling back to Google.
    const inherited = functionsEnv(resolveConfig({ ...base, functionsDir: dir }), { FIREBASE_AUTH_EMULATOR_HOST: 'elsewhere:1' });
    expect(inherited['FIREBASE_AUTH_EMULATOR_HOST']).toBe('elsewhere:1');
  });
});
