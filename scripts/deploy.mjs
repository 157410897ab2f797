#!/usr/bin/env node
// `npm run deploy -- --project <id>`: build, check, then `firebase deploy --project <id>`. The
// project is always explicit (never .firebaserc's default, which is the demo project), and a
// `demo-*` project is refused: firebase-tools treats those as emulator-only (no real resources).
// docs/deploy.md walks through the steps around it.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const repoDir = join(dirname(fileURLToPath(import.meta.url)), '..');

export const USAGE = `usage: npm run deploy -- --project <project-id> [--only <targets>] [--dry-run]

  --project <id>    the Firebase project to deploy to (required; demo-* projects are refused)
  --only <targets>  passed to firebase deploy, e.g. functions or database,hosting
  --dry-run         build and check, print the firebase deploy command, deploy nothing
  -h, --help        this text`;

/** A usage mistake: exit 2 with the message and the usage. */
export class DeployUsageError extends Error {
  name = 'DeployUsageError';
}

// Google Cloud project ids: 6-30 characters, lower-case letters, digits and hyphens, starting with
// a letter, not ending with a hyphen (cloud.google.com/resource-manager/docs/creating-managing-projects).
const PROJECT_ID = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;

/** Parses and validates the arguments; throws DeployUsageError for anything wrong. */
export function parseDeployArgs(argv) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        project: { type: 'string', short: 'P' },
        only: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new DeployUsageError(err.message);
  }
  if (values.help) return { help: true };
  const project = values.project;
  if (project === undefined || project === '') {
    throw new DeployUsageError('--project <project-id> is required: the deploy never falls back to .firebaserc (its default is the demo project)');
  }
  if (project.startsWith('demo-')) {
    throw new DeployUsageError(
      `--project ${project}: demo-* projects exist only in the emulators and cannot be deployed to. ` +
        'Create a real project (docs/deploy.md, step 2) and pass its id, e.g. --project my-firelink-123',
    );
  }
  if (!PROJECT_ID.test(project)) {
    throw new DeployUsageError(
      `--project ${JSON.stringify(project)}: not a Google Cloud project id (6-30 lower-case letters, digits and hyphens, starting with a letter)`,
    );
  }
  const only = values.only;
  if (only !== undefined && !/^[a-z]+(:[\w-]+)?(,[a-z]+(:[\w-]+)?)*$/.test(only)) {
    throw new DeployUsageError(`--only ${JSON.stringify(only)}: expected targets such as functions or database,hosting`);
  }
  return { help: false, project, only, dryRun: values['dry-run'] };
}

/** The `firebase deploy` arguments for the parsed options (CI=true, non-interactive, is the caller's choice). */
export function firebaseDeployArgs({ project, only }) {
  return ['deploy', '--project', project, ...(only ? ['--only', only] : [])];
}

/**
 * Checks the functions settings as deploy will see them: `functions/.env` then
 * `functions/.env.<project>`, parsed by firebase-tools' own parser, validated by the functions'
 * config module. Returns the names without a value (firebase deploy prompts for those, and fails
 * in non-interactive mode). Throws with the file and variable on a bad value.
 */
export async function checkFunctionsEnv(envDir, project, libDir = join(repoDir, 'functions', 'lib')) {
  const require = createRequire(join(repoDir, 'package.json'));
  const { parseStrict } = require('firebase-tools/lib/functions/env.js');
  const envs = {};
  for (const name of ['.env', `.env.${project}`]) {
    const file = join(envDir, name);
    if (!existsSync(file)) continue;
    try {
      Object.assign(envs, parseStrict(readFileSync(file, 'utf8')));
    } catch (err) {
      const children = (err.children ?? []).map((c) => c.message).join('; ');
      throw new Error(`functions/${name}: ${err.message}${children ? `: ${children}` : ''}`, { cause: err });
    }
  }
  const { loadConfig, INT_SETTINGS, STRING_SETTINGS } = await import(pathToFileURL(join(libDir, 'config.js')).href);
  loadConfig(envs);
  const names = [...Object.values(INT_SETTINGS), ...Object.values(STRING_SETTINGS)].map((s) => s.name);
  return names.filter((name) => !(name in envs));
}

/**
 * firebase-tools' own runtime table (runtimes/supported/types.js): refuse a runtime past its
 * decommission date (firebase deploy would refuse it too, after the whole build) and say when one
 * is past its deprecation date. Returns the warnings.
 */
export function checkRuntime(firebaseJson, now = new Date()) {
  const require = createRequire(join(repoDir, 'package.json'));
  const { RUNTIMES } = require('firebase-tools/lib/deploy/functions/runtimes/supported/types.js');
  const warnings = [];
  for (const entry of [firebaseJson.functions ?? []].flat()) {
    const info = RUNTIMES[entry.runtime];
    if (!info || !entry.runtime.startsWith('nodejs')) {
      throw new Error(`firebase.json: functions runtime ${JSON.stringify(entry.runtime)} is not a Node.js runtime firebase-tools knows`);
    }
    if (now >= new Date(info.decommissionDate)) {
      throw new Error(`firebase.json: runtime ${entry.runtime} was decommissioned on ${info.decommissionDate}; pick a newer nodejs runtime`);
    }
    if (now >= new Date(info.deprecationDate)) {
      warnings.push(`runtime ${entry.runtime} is deprecated since ${info.deprecationDate} and stops deploying on ${info.decommissionDate}`);
    }
  }
  return warnings;
}

/** Runs one command in the repository; the default runner of `deploy`. Returns its exit status. */
function spawnStep(title, command, args) {
  console.log(`\n=== ${title}: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { cwd: repoDir, stdio: 'inherit' });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

/**
 * The whole command: parse, build, check, then `firebase deploy`. `io.run(title, command, args)`
 * runs each step (returns its exit status); the tests pass a recorder, so nothing is built or
 * deployed there. Returns the exit code: 0 done, 1 a step or check failed, 2 a usage error.
 */
export async function deploy(argv, io = {}) {
  const { run = spawnStep, log = console.log, error = console.error, env = process.env } = io;
  const dashboardIndex = io.dashboardIndex ?? join(repoDir, 'web', 'dist', 'index.html');
  let options;
  try {
    options = parseDeployArgs(argv);
  } catch (err) {
    if (!(err instanceof DeployUsageError)) throw err;
    error(`deploy: ${err.message}\n\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    log(USAGE);
    return 0;
  }
  const step = (title, command, args) => {
    const status = run(title, command, args);
    if (status !== 0) throw new Error(`${title} failed (exit ${status}); nothing was deployed`);
  };
  try {
    step('build', 'npm', ['run', 'build']);
    step('lint', 'npm', ['run', 'lint']);
    step('deploy package', 'npm', ['run', 'package', '-w', 'functions']);
    for (const warning of checkRuntime(JSON.parse(readFileSync(join(repoDir, 'firebase.json'), 'utf8')))) log(`warning: ${warning}`);
    const missing = await checkFunctionsEnv(join(repoDir, 'functions'), options.project);
    if (missing.length > 0) {
      const where = `functions/.env or functions/.env.${options.project} (start from functions/.env.example)`;
      if (env.CI === 'true') throw new Error(`no value for ${missing.join(', ')} in ${where}; non-interactive deploys need every one`);
      log(`\nfirebase deploy will ask for ${missing.join(', ')} (not in ${where}) and save the answers to functions/.env.${options.project}`);
    }
    if (!existsSync(dashboardIndex) && (!options.only || options.only.includes('hosting'))) {
      throw new Error('web/dist/index.html is missing, so there is no dashboard to host; build the web workspace, or pass --only functions,database');
    }
    const args = firebaseDeployArgs(options);
    if (options.dryRun) {
      log(`\ndry run: checks passed; would run: firebase ${args.join(' ')}`);
      return 0;
    }
    step('firebase deploy', join(repoDir, 'node_modules', '.bin', 'firebase'), args);
  } catch (err) {
    error(`\ndeploy: ${err.message}`);
    return 1;
  }
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = await deploy(process.argv.slice(2));
}
