#!/usr/bin/env node
// `npm start`: the whole local system on emulators. All of it lives in the stack package
// (stack/src/start/main.ts); this launcher only makes sure that package is built first, since
// the package itself does the rest (options, port checks, the build of what changed, the banner).
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'stack', 'dist', 'start', 'main.js');

function newestMs(dir) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMs(path) : statSync(path).mtimeMs);
  }
  return newest;
}

// First run: the stack package and what it compiles against; later, the stack package alone when
// its sources changed (the rest is built by main() when stale).
const workspaces =
  !existsSync(entry) || !existsSync(join(root, 'emulator', 'dist', 'index.js')) || !existsSync(join(root, 'model', 'dist', 'index.js'))
    ? ['model', 'emulator', 'stack']
    : newestMs(join(root, 'stack', 'src')) > statSync(entry).mtimeMs
      ? ['stack']
      : [];

if (workspaces.length > 0) {
  console.log(`build: ${workspaces.join(', ')} (npm start itself) ...`);
  let interrupted = false;
  const onSignal = () => {
    interrupted = true;
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const code = await new Promise((resolve) => {
    const child = spawn('npm', ['run', '-s', 'build', ...workspaces.flatMap((w) => ['-w', w])], { cwd: root, stdio: 'inherit' });
    child.once('exit', (c) => resolve(c ?? 1));
    child.once('error', () => resolve(1));
  });
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  if (interrupted) {
    console.log('stopped (Ctrl-C during the build; nothing was started)');
    process.exit(0);
  }
  if (code !== 0) {
    console.error('npm start: building the stack package failed (output above): fix the errors, then run npm start again');
    process.exit(1);
  }
}

const { main } = await import(pathToFileURL(entry).href);
process.exit(await main());
