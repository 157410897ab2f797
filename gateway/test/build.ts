// vitest `globalSetup`: the integration tests start our RTDB emulator (emulator/dist) with the
// compiled functions (functions/lib, built from the compiled model): the functions package's own
// build setup brings model and functions up to date, and the emulator is built when stale.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import buildModelAndFunctions from '../../functions/test/support/build.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');

function newestMs(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMs(path) : statSync(path).mtimeMs);
  }
  return newest;
}

export default function setup(): void {
  buildModelAndFunctions();
  const emulatorDir = join(root, 'emulator');
  const built = join(emulatorDir, 'dist', 'index.js');
  if (!existsSync(built) || newestMs(join(emulatorDir, 'src')) > statSync(built).mtimeMs) {
    execFileSync(process.execPath, [tsc, '-p', join(emulatorDir, 'tsconfig.build.json')], { stdio: 'inherit' });
  }
}
