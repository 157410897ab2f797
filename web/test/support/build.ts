// Builds what the end-to-end suite runs: the model and the functions bundle (exactly as the
// functions' own tests do, functions/test/support/build.ts), the device simulator, and web/dist.
// A build whose output is newer than its sources is skipped.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import buildFunctions from '../../../functions/test/support/build.js';

export const webDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const rootDir = join(webDir, '..');
const tsc = join(rootDir, 'node_modules', 'typescript', 'bin', 'tsc');
const vite = join(rootDir, 'node_modules', 'vite', 'bin', 'vite.js');

function newestMs(path: string): number {
  if (!existsSync(path)) return 0;
  if (!statSync(path).isDirectory()) return statSync(path).mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMs(join(path, entry)));
  return newest;
}

const stale = (output: string, ...sources: string[]): boolean => !existsSync(output) || sources.some((s) => newestMs(s) > statSync(output).mtimeMs);

export function ensureBuilt(): void {
  buildFunctions();
  const emulatorDir = join(rootDir, 'emulator');
  if (stale(join(emulatorDir, 'dist', 'index.js'), join(emulatorDir, 'src'))) {
    execFileSync(process.execPath, [tsc, '-p', join(emulatorDir, 'tsconfig.build.json')], { stdio: 'inherit' });
  }
  const stackDir = join(rootDir, 'stack');
  if (stale(join(stackDir, 'dist', 'index.js'), join(stackDir, 'src'))) {
    execFileSync(process.execPath, [tsc, '-p', join(stackDir, 'tsconfig.build.json')], { stdio: 'inherit' });
  }
  const simDir = join(rootDir, 'device-sim');
  if (stale(join(simDir, 'dist', 'cli.js'), join(simDir, 'src'), join(rootDir, 'model', 'dist'))) {
    execFileSync(process.execPath, [tsc, '-p', join(simDir, 'tsconfig.build.json')], { stdio: 'inherit' });
  }
  if (stale(join(webDir, 'dist', 'index.html'), join(webDir, 'src'), join(webDir, 'index.html'), join(rootDir, 'model', 'dist'))) {
    execFileSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: webDir, stdio: 'inherit' });
  }
}
