#!/usr/bin/env node
// `npm test`: builds what the tests load at run time, type-checks every workspace, runs every
// vitest project and the firmware host tests, and ends with ONE plain line
// `N passed, N failed, N skipped` over all runners (CI reads that line; it cannot read vitest's
// own summary). Exits non-zero on any failure, or when nothing ran at all.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const totals = { passed: 0, failed: 0, skipped: 0 };
const problems = [];

// Nothing in a test run may reach real Firebase: these are the defaults every runner inherits;
// each suite still sets its own hosts before importing Firebase code.
const env = {
  ...process.env,
  CI: 'true',
  GCLOUD_PROJECT: process.env.GCLOUD_PROJECT ?? 'demo-firelink',
  FIREBASE_DATABASE_EMULATOR_HOST: process.env.FIREBASE_DATABASE_EMULATOR_HOST ?? '127.0.0.1:9000',
  FIREBASE_AUTH_EMULATOR_HOST: process.env.FIREBASE_AUTH_EMULATOR_HOST ?? '127.0.0.1:9099',
};

function run(title, command, args, options = {}) {
  console.log(`\n=== ${title}: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env, ...options });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

function step(title, command, args) {
  const status = run(title, command, args);
  if (status !== 0) {
    problems.push(`${title} failed (exit ${status})`);
    totals.failed += 1;
  }
  return status === 0;
}

// 1. Builds: tests import the compiled model, start the compiled emulator and load functions/lib.
const built = step('build', 'npm', ['run', 'build']);

// 2. Type-check every workspace including its tests (tsc), then ESLint over all of them.
step('lint', 'npm', ['run', 'lint']);

// 3. Every vitest project in one run, counted from vitest's JSON report.
if (built) {
  const outDir = mkdtempSync(join(tmpdir(), 'firelink-vitest-'));
  const report = join(outDir, 'report.json');
  run('vitest', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`]);
  if (existsSync(report)) {
    const json = JSON.parse(readFileSync(report, 'utf8'));
    totals.passed += json.numPassedTests ?? 0;
    totals.failed += json.numFailedTests ?? 0;
    totals.skipped += (json.numPendingTests ?? 0) + (json.numTodoTests ?? 0);
    // A file that fails to load has no tests to count: count it as a failure.
    for (const file of json.testResults ?? []) {
      if (file.status === 'failed' && (file.assertionResults ?? []).length === 0) {
        totals.failed += 1;
        problems.push(`vitest: ${file.name.replace(root + '/', '')} failed to run: ${(file.message ?? '').split('\n')[0]}`);
      }
    }
    if ((json.numFailedTestSuites ?? 0) > 0 && totals.failed === 0) {
      totals.failed += json.numFailedTestSuites;
      problems.push('vitest: some test files failed');
    }
  } else {
    totals.failed += 1;
    problems.push('vitest wrote no report (it crashed before finishing)');
  }
  rmSync(outDir, { recursive: true, force: true });
} else {
  problems.push('vitest not run: the build failed');
}

// 4. Firmware host tests (plain g++), once the firmware exists. Its runner prints its own
//    `N passed, N failed` line, which is added to the total.
if (existsSync(join(root, 'firmware', 'Makefile'))) {
  console.log('\n=== firmware host tests: make -C firmware test');
  const result = spawnSync('make', ['-s', '-C', 'firmware', 'test'], { cwd: root, env, encoding: 'utf8' });
  process.stdout.write(result.stdout ?? '');
  process.stderr.write(result.stderr ?? '');
  const match = /(\d+) passed, (\d+) failed/.exec(result.stdout ?? '');
  if (match) {
    totals.passed += Number(match[1]);
    totals.failed += Number(match[2]);
  }
  if (result.status !== 0 || !match) {
    totals.failed += match && Number(match[2]) > 0 ? 0 : 1;
    problems.push(`firmware host tests failed (exit ${result.status})`);
  }
} else {
  console.log('\n=== firmware host tests: SKIPPED (no firmware/Makefile yet: the firmware issue adds them)');
}

if (totals.passed + totals.failed === 0) {
  problems.push('no test ran at all');
  totals.failed += 1;
}
console.log('');
for (const problem of problems) console.log(`problem: ${problem}`);
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed === 0 ? 0 : 1);
