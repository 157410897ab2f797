// The functions' params reach the code through the local functions host the way the official
// emulator and `firebase deploy` supply them: from `.env` and `.env.<projectId>` beside the
// functions package (the latter winning, another project's file ignored), parsed by firebase-tools.
// The bundle (lib/index.js, what deploys) runs in a scratch package inside functions/.tmp so it
// resolves firebase-functions from the workspace like functions/deploy does.
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator } from '@firelink/emulator';
import { afterEach, describe, expect, it } from 'vitest';
import { functionsDir, PROJECT_ID } from './support/emulator.js';

interface Status {
  triggers: { name: string; instance: string }[];
  schedules: { name: string; schedule: string }[];
  loadError: string | null;
}

const scratchRoot = join(functionsDir, '.tmp');
let dir = '';

function scratchPackage(files: Record<string, string>): string {
  dir = join(scratchRoot, `params-${process.pid}-${Date.now()}`);
  mkdirSync(dir, { recursive: true });
  cpSync(join(functionsDir, 'lib', 'index.js'), join(dir, 'index.js'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module', main: 'index.js' }));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

async function statusOf(functions: string): Promise<Status> {
  const emulator = await startEmulator({ port: 0, host: '127.0.0.1', projectId: PROJECT_ID, functions, log: () => {} });
  try {
    return (await (await fetch(`${emulator.url}/.functions/status`)).json()) as Status;
  } finally {
    await emulator.stop();
  }
}

afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = '';
});

describe('params from .env files in the local functions host', () => {
  it('applies .env, then .env.<projectId>, and ignores other projects’ files', async () => {
    const status = await statusOf(
      scratchPackage({
        '.env': 'FIRELINK_SCHEDULE="every 7 minutes"\nFIRELINK_DATABASE_INSTANCE=demo-firelink-default-rtdb\n',
        [`.env.${PROJECT_ID}`]: '# this project only\nFIRELINK_SCHEDULE="every 9 minutes"\n',
        '.env.some-other-project': 'FIRELINK_SCHEDULE="every 1 hours"\n',
      }),
    );
    expect(status.loadError).toBeNull();
    // Every database trigger (reading, meta, status) listens on the instance the .env names.
    expect(status.triggers.map((t) => t.instance)).toEqual(Array(3).fill('demo-firelink-default-rtdb'));
    expect(status.schedules).toHaveLength(5);
    for (const s of status.schedules) expect(s.schedule).toBe('every 9 minutes');
  });

  it('refuses to load the functions with a bad value, naming the param and the fix', async () => {
    const status = await statusOf(scratchPackage({ [`.env.${PROJECT_ID}`]: 'FIRELINK_RETENTION_MAX_COUNT=1.5\n' }));
    expect(status.loadError).toMatch(/FIRELINK_RETENTION_MAX_COUNT: must be an integer between 1 and 10000000 \(got "1.5"\)/);
    expect(status.triggers).toEqual([]);
  });

  it('refuses a key firebase deploy would refuse, naming the file', async () => {
    const status = await statusOf(scratchPackage({ '.env': 'GCLOUD_PROJECT=elsewhere\n' }));
    expect(status.loadError).toMatch(/\.env: .*GCLOUD_PROJECT is reserved/);
  });
});
