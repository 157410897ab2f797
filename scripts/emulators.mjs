#!/usr/bin/env node
// `npm run emulators`: the official Firebase Emulator Suite (firebase-tools), for comparing our
// Java-free RTDB emulator with Google's. Its Realtime Database emulator is a Java program, and
// firebase-tools 15 needs Java 21 or newer: check that first and say so in one line.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const MIN_JAVA = 21;

function javaMajor() {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) return null;
  // `java -version` prints to stderr, e.g. `openjdk version "21.0.5" 2024-10-15` or `"1.8.0_392"`.
  const match = /version "(\d+)(?:\.(\d+))?/.exec(result.stderr + result.stdout);
  if (!match) return null;
  const major = Number(match[1]);
  return major === 1 ? Number(match[2]) : major;
}

const major = javaMajor();
if (major === null || major < MIN_JAVA) {
  const found = major === null ? 'no Java found' : `found Java ${major}`;
  console.error(`npm run emulators needs Java ${MIN_JAVA}+ for the official emulator suite (${found}); install a JDK ${MIN_JAVA} (e.g. apt-get install openjdk-${MIN_JAVA}-jre-headless), or run npm start, which needs no Java.`);
  process.exit(1);
}

// The official suite loads the functions from the deploy package (firebase.json `source`), so build
// and write it first (docs/deploy.md).
const prepared = spawnSync('npm', ['run', 'build', '-w', 'model', '-w', 'functions'], { stdio: 'inherit' }).status === 0 &&
  spawnSync('npm', ['run', 'package', '-w', 'functions'], { stdio: 'inherit' }).status === 0;
if (!prepared) {
  console.error('npm run emulators: building the functions deploy package failed (see above); fix it, then run again.');
  process.exit(1);
}

// The project comes from .firebaserc (a demo-* id, so nothing reaches Google).
const cli = createRequire(import.meta.url).resolve('firebase-tools/lib/bin/firebase.js');
const child = spawn(process.execPath, [cli, 'emulators:start', ...process.argv.slice(2)], { stdio: 'inherit', env: { ...process.env, CI: 'true' } });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
