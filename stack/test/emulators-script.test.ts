// `npm run emulators` checks for Java 21 before it starts the official suite.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../src/config.js';

describe('npm run emulators', () => {
  it('without Java says so in one line and points to npm start', () => {
    const result = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'emulators.mjs')], { env: { ...process.env, PATH: '/nonexistent' }, encoding: 'utf8' });
    expect(result.status).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^npm run emulators needs Java 21\+ for the official emulator suite \(no Java found\);.*or run npm start, which needs no Java\.$/);
  });
});
