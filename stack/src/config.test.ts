import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadStackConfig, REPO_ROOT } from './config.js';

function repoWith(firebase: unknown, rc: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'stack-config-'));
  writeFileSync(join(dir, 'firebase.json'), JSON.stringify(firebase));
  writeFileSync(join(dir, '.firebaserc'), JSON.stringify(rc));
  return dir;
}

const firebase = {
  database: { rules: 'database.rules.json' },
  functions: [{ source: 'functions' }],
  emulators: { auth: { port: 9099 }, database: { port: 9000 }, hosting: { port: 5000 } },
};

describe('loadStackConfig', () => {
  it('reads the repository files', () => {
    const config = loadStackConfig(REPO_ROOT);
    expect(config.projectId).toBe('demo-firelink');
    expect(config.namespace).toBe('demo-firelink-default-rtdb');
    expect(config.ports).toEqual({ database: 9000, auth: 9099, hosting: 5000 });
    expect(config.rulesFile).toBe(join(REPO_ROOT, 'database.rules.json'));
    expect(config.functionsDir).toBe(join(REPO_ROOT, 'functions'));
  });

  it('takes ports and the project from the files', () => {
    const dir = repoWith({ ...firebase, emulators: { auth: { port: 1 }, database: { port: 2 } } }, { projects: { default: 'demo-other' } });
    const config = loadStackConfig(dir);
    expect(config.ports).toEqual({ database: 2, auth: 1, hosting: 5000 });
    expect(config.namespace).toBe('demo-other-default-rtdb');
  });

  it('refuses a project that is not demo-*, naming the file and field', () => {
    const dir = repoWith(firebase, { projects: { default: 'my-real-project' } });
    expect(() => loadStackConfig(dir)).toThrow(/\.firebaserc is not what the local system needs:\n {2}projects\.default: must be a demo-\* project id/);
  });

  it('reads the database array (one entry per instance or target) and refuses entries with different rules', () => {
    const entries = [{ instance: 'demo-x-default-rtdb', rules: 'a.json' }, { target: 'shards', rules: 'a.json' }];
    expect(loadStackConfig(repoWith({ ...firebase, database: entries }, { projects: { default: 'demo-x' } })).rulesFile).toMatch(/a\.json$/);
    const mixed = repoWith({ ...firebase, database: [...entries, { instance: 'demo-x-shard-1', rules: 'b.json' }] }, { projects: { default: 'demo-x' } });
    expect(() => loadStackConfig(mixed)).toThrow(/database: every database entry must name the same rules file/);
    expect(() => loadStackConfig(repoWith({ ...firebase, database: [] }, { projects: { default: 'demo-x' } }))).toThrow(/database/);
  });

  it('refuses a firebase.json without emulator ports', () => {
    const dir = repoWith({ ...firebase, emulators: { auth: { port: 'x' } } }, { projects: { default: 'demo-x' } });
    expect(() => loadStackConfig(dir)).toThrow(/firebase\.json is not what the local system needs:[\s\S]*emulators\.auth\.port[\s\S]*emulators\.database/);
  });
});
