// The deploy package (functions/deploy, written by scripts/package.mjs) holds exactly what runs in
// Cloud Functions, and runs with nothing else: it is copied to an empty temp folder outside the
// repository, installed with `npm ci` from its own lockfile (registry or npm cache), and the
// firebase-functions discovery that `firebase deploy` runs (the SDK's `firebase-functions` binary
// writing the manifest, firebase-tools runtimes/node/index.js) loads it in a clean process.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INT_SETTINGS, STRING_SETTINGS } from '../src/config.js';
import { functionsDir } from './support/emulator.js';

const repoDir = join(functionsDir, '..');
const deployDir = join(functionsDir, 'deploy');
const readJson = (path: string): Record<string, any> => JSON.parse(readFileSync(path, 'utf8')) as Record<string, any>;
const EXPORTS = ['expireCommands', 'onMetaWritten', 'onReadingCreated', 'onStatusWritten', 'pruneReadings', 'rollupReadings', 'sweepPresence', 'sweepZones'];

let scratch = '';

beforeAll(() => {
  // globalSetup built lib/; this is the predeploy's second step.
  execFileSync(process.execPath, [join(functionsDir, 'scripts', 'package.mjs')], { stdio: 'inherit' });
  scratch = mkdtempSync(join(tmpdir(), 'firelink-deploy-test-'));
}, 120_000);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('the deploy package', () => {
  it('is exactly the bundle, a package.json and a lockfile', () => {
    expect(readdirSync(deployDir).sort()).toEqual(['index.js', 'package-lock.json', 'package.json']);
    expect(readFileSync(join(deployDir, 'index.js'), 'utf8')).not.toMatch(/sourceMappingURL/);
  });

  it('declares only the runtime dependencies, at the versions the repository locked, on the firebase.json runtime', () => {
    const manifest = readJson(join(deployDir, 'package.json'));
    const rootLock = readJson(join(repoDir, 'package-lock.json'));
    const firebaseJson = readJson(join(repoDir, 'firebase.json'));
    const [functionsConfig] = firebaseJson['functions'] as Record<string, any>[];
    expect(functionsConfig).toMatchObject({ source: 'functions/deploy', configDir: 'functions' });
    expect(Object.keys(manifest['dependencies']).sort()).toEqual(['firebase-admin', 'firebase-functions']);
    for (const [name, version] of Object.entries(manifest['dependencies'] as Record<string, string>)) {
      expect(version).toBe(rootLock['packages'][`node_modules/${name}`].version);
    }
    expect(manifest).not.toHaveProperty('devDependencies');
    expect(`nodejs${manifest['engines'].node}`).toBe(functionsConfig?.['runtime']);
  });

  it('runs on a runtime firebase-tools lists as generally available', () => {
    const require = createRequire(join(repoDir, 'package.json'));
    const { RUNTIMES } = require('firebase-tools/lib/deploy/functions/runtimes/supported/types.js') as {
      RUNTIMES: Record<string, { status: string; decommissionDate: string }>;
    };
    const runtime = (readJson(join(repoDir, 'firebase.json'))['functions'] as { runtime: string }[])[0]?.runtime as string;
    expect(RUNTIMES[runtime]?.status).toBe('GA');
  });

  it('locks the same tree the repository installed, and nothing from the workspace', () => {
    const lock = readJson(join(deployDir, 'package-lock.json'));
    const rootLock = readJson(join(repoDir, 'package-lock.json'));
    const packages = lock['packages'] as Record<string, { version?: string; link?: boolean; dev?: boolean }>;
    expect(packages['']).toMatchObject({ dependencies: readJson(join(deployDir, 'package.json'))['dependencies'] });
    const entries = Object.entries(packages).filter(([path]) => path !== '');
    expect(entries.length).toBeGreaterThan(50);
    for (const [path, entry] of entries) {
      expect(path.startsWith('node_modules/'), path).toBe(true);
      expect(entry.link, path).toBeUndefined();
      expect(entry.dev, path).toBeUndefined();
      expect(entry.version, path).toBe(rootLock['packages'][path]?.version);
    }
  });

  it('installs from its lockfile alone and loads in a clean process: all functions and every param', () => {
    const app = join(scratch, 'app');
    cpSync(deployDir, app, { recursive: true });
    execFileSync('npm', ['ci', '--omit=dev', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd: app,
      stdio: 'inherit',
      env: { PATH: process.env.PATH, HOME: process.env.HOME, CI: 'true' },
    });
    const manifestPath = join(scratch, 'manifest.json');
    // Only what a Cloud Build container would have: no repository, no NODE_PATH, a demo project.
    execFileSync(join(app, 'node_modules', '.bin', 'firebase-functions'), [app], {
      cwd: app,
      stdio: 'inherit',
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        FUNCTIONS_CONTROL_API: 'true',
        FUNCTIONS_MANIFEST_OUTPUT_PATH: manifestPath,
        GCLOUD_PROJECT: 'demo-firelink',
        FIREBASE_CONFIG: JSON.stringify({ projectId: 'demo-firelink' }),
        FIREBASE_DATABASE_EMULATOR_HOST: '127.0.0.1:9',
        FIREBASE_AUTH_EMULATOR_HOST: '127.0.0.1:9',
      },
    });
    const manifest = readJson(manifestPath);
    expect(Object.keys(manifest['endpoints']).sort()).toEqual(EXPORTS);
    expect(manifest['endpoints']['onReadingCreated']).toMatchObject({
      region: '{{ params.FIRELINK_REGION }}',
      eventTrigger: { eventFilterPathPatterns: { ref: 'devices/{deviceId}/readings/{readingId}', instance: '*' } },
    });
    const params = manifest['params'] as { name: string; default: unknown; description: string }[];
    const specs = [...Object.values(INT_SETTINGS), ...Object.values(STRING_SETTINGS)];
    expect(params.map((p) => p.name).sort()).toEqual(specs.map((s) => s.name).sort());
    for (const spec of specs) expect(params.find((p) => p.name === spec.name)?.default).toBe(spec.default);
  }, 180_000);
});

describe('functions/.env.example', () => {
  it('lists every param at its default, in a form firebase-tools parses', () => {
    const require = createRequire(join(repoDir, 'package.json'));
    const { parseStrict } = require('firebase-tools/lib/functions/env.js') as { parseStrict(data: string): Record<string, string> };
    const envs = parseStrict(readFileSync(join(functionsDir, '.env.example'), 'utf8'));
    const specs = [...Object.values(INT_SETTINGS), ...Object.values(STRING_SETTINGS)];
    expect(Object.keys(envs).sort()).toEqual(specs.map((s) => s.name).sort());
    for (const spec of specs) expect(envs[spec.name]).toBe(String(spec.default));
  });
});
