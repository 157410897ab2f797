// `npm run deploy` argument handling, the demo-* refusal and the checks before firebase deploy.
// Nothing here reaches the network: every refusal happens before a build or a deploy starts, and
// the checks read local files only.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkFunctionsEnv, checkRuntime, deploy, DeployUsageError, firebaseDeployArgs, parseDeployArgs } from './deploy.mjs';

const repoDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const script = join(repoDir, 'scripts', 'deploy.mjs');

describe('parseDeployArgs', () => {
  it('requires an explicit project and never falls back to .firebaserc', () => {
    expect(() => parseDeployArgs([])).toThrow(DeployUsageError);
    expect(() => parseDeployArgs([])).toThrow(/--project <project-id> is required/);
    expect(() => parseDeployArgs(['--project', ''])).toThrow(/is required/);
  });

  it('refuses demo-* projects with the reason and the fix', () => {
    expect(() => parseDeployArgs(['--project', 'demo-firelink'])).toThrow(
      /--project demo-firelink: demo-\* projects exist only in the emulators.*docs\/deploy\.md, step 2/,
    );
    expect(() => parseDeployArgs(['-P', 'demo-anything'])).toThrow(/demo-\* projects/);
  });

  it('refuses what is not a project id, unknown options and stray arguments', () => {
    expect(() => parseDeployArgs(['--project', 'My_Project'])).toThrow(/not a Google Cloud project id/);
    expect(() => parseDeployArgs(['--project', 'abc'])).toThrow(/not a Google Cloud project id/);
    expect(() => parseDeployArgs(['--project', 'my-firelink-1', '--force'])).toThrow(/Unknown option '--force'/);
    expect(() => parseDeployArgs(['--project', 'my-firelink-1', 'extra'])).toThrow(DeployUsageError);
    expect(() => parseDeployArgs(['--project', 'my-firelink-1', '--only', 'functions;rm'])).toThrow(/--only/);
  });

  it('passes the project and targets to firebase deploy explicitly', () => {
    const options = parseDeployArgs(['--project', 'my-firelink-1', '--only', 'functions,database', '--dry-run']);
    expect(options).toEqual({ help: false, project: 'my-firelink-1', only: 'functions,database', dryRun: true });
    expect(firebaseDeployArgs(options)).toEqual(['deploy', '--project', 'my-firelink-1', '--only', 'functions,database']);
    expect(firebaseDeployArgs(parseDeployArgs(['--project=my-firelink-1']))).toEqual(['deploy', '--project', 'my-firelink-1']);
  });
});

describe('npm run deploy, as a process', () => {
  it('exits 2 with the refusal and the usage for a demo project, before building anything', () => {
    const result = spawnSync(process.execPath, [script, '--project', 'demo-firelink'], { encoding: 'utf8', env: { ...process.env, PATH: '' } });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/deploy: --project demo-firelink: demo-\* projects exist only in the emulators/);
    expect(result.stderr).toMatch(/usage: npm run deploy -- --project <project-id>/);
    expect(result.stdout).not.toMatch(/=== build/);
  });

  it('prints the usage for --help and exits 0', () => {
    const result = spawnSync(process.execPath, [script, '--help'], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/--dry-run/);
  });
});

describe('deploy: build, check, then firebase deploy (steps recorded, never run)', () => {
  const recorder = (failing = '') => {
    const steps = [];
    const out = [];
    const io = {
      run: (title, command, args) => {
        steps.push([title, command.split('/').pop(), ...args]);
        return title === failing ? 3 : 0;
      },
      log: (line) => out.push(line),
      error: (line) => out.push(line),
      env: { CI: 'false' },
    };
    return { steps, out, io };
  };
  beforeAll(() => {
    if (!existsSync(join(repoDir, 'functions', 'lib', 'config.js'))) {
      execFileSync('npm', ['run', 'build', '-w', 'model', '-w', 'functions'], { cwd: repoDir, stdio: 'inherit' });
    }
  });

  it('builds, lints and packages before it deploys to exactly the given project', async () => {
    const { steps, io } = recorder();
    expect(await deploy(['--project', 'my-firelink-1', '--only', 'functions,database'], io)).toBe(0);
    expect(steps).toEqual([
      ['build', 'npm', 'run', 'build'],
      ['lint', 'npm', 'run', 'lint'],
      ['deploy package', 'npm', 'run', 'package', '-w', 'functions'],
      ['firebase deploy', 'firebase', 'deploy', '--project', 'my-firelink-1', '--only', 'functions,database'],
    ]);
  });

  it('stops at the first failing step and deploys nothing', async () => {
    const { steps, out, io } = recorder('lint');
    expect(await deploy(['--project', 'my-firelink-1', '--only', 'functions'], io)).toBe(1);
    expect(steps.map((s) => s[0])).toEqual(['build', 'lint']);
    expect(out.join('\n')).toMatch(/lint failed \(exit 3\); nothing was deployed/);
  });

  it('runs no step at all for a demo project, and none after the checks in a dry run', async () => {
    const refused = recorder();
    expect(await deploy(['--project', 'demo-firelink'], refused.io)).toBe(2);
    expect(refused.steps).toEqual([]);
    const dry = recorder();
    expect(await deploy(['--project', 'my-firelink-1', '--only', 'functions', '--dry-run'], dry.io)).toBe(0);
    expect(dry.steps.map((s) => s[0])).toEqual(['build', 'lint', 'deploy package']);
    expect(dry.out.join('\n')).toMatch(/would run: firebase deploy --project my-firelink-1 --only functions/);
  });

  it('refuses a hosting deploy without a built dashboard', async () => {
    const { steps, out, io } = recorder();
    io.dashboardIndex = join(tmpdir(), 'firelink-no-such-dashboard', 'index.html');
    expect(await deploy(['--project', 'my-firelink-1'], io)).toBe(1);
    expect(steps.map((s) => s[0])).not.toContain('firebase deploy');
    expect(out.join('\n')).toMatch(/web\/dist\/index\.html is missing/);
  });
});

describe('firebase.json', () => {
  it('is valid by firebase-tools’ own schema (the check firebase deploy makes on load)', () => {
    const require = createRequire(join(repoDir, 'package.json'));
    const validate = require('firebase-tools/lib/firebaseConfigValidate.js').getValidator();
    const firebaseJson = JSON.parse(readFileSync(join(repoDir, 'firebase.json'), 'utf8'));
    expect(validate(firebaseJson), JSON.stringify(validate.errors)).toBe(true);
    const broken = structuredClone(firebaseJson);
    broken.functions[0].sourceDir = 'typo';
    expect(validate(broken)).toBe(false);
  });
});

describe('checkRuntime (firebase-tools runtime table)', () => {
  const at = new Date('2026-12-02T00:00:00Z');
  it('refuses a decommissioned runtime and an unknown one', () => {
    expect(() => checkRuntime({ functions: [{ runtime: 'nodejs20' }] }, at)).toThrow(/nodejs20 was decommissioned on 2026-10-30/);
    expect(() => checkRuntime({ functions: [{ runtime: 'nodejs99' }] }, at)).toThrow(/not a Node.js runtime firebase-tools knows/);
    expect(() => checkRuntime({ functions: [{ runtime: 'python312' }] }, at)).toThrow(/not a Node.js runtime/);
  });
  it('accepts the repository’s runtime, warning once it is deprecated', () => {
    expect(checkRuntime({ functions: [{ runtime: 'nodejs24' }] }, at)).toEqual([]);
    expect(checkRuntime({ functions: [{ runtime: 'nodejs22' }] }, new Date('2027-06-01T00:00:00Z'))).toEqual([
      expect.stringMatching(/nodejs22 is deprecated since 2027-04-30/),
    ]);
  });
});

describe('checkFunctionsEnv', () => {
  let dir = '';
  beforeAll(() => {
    if (!existsSync(join(repoDir, 'functions', 'lib', 'config.js'))) {
      console.warn('functions/lib is not built: building model and functions for the env checks');
      execFileSync('npm', ['run', 'build', '-w', 'model', '-w', 'functions'], { cwd: repoDir, stdio: 'inherit' });
    }
    dir = mkdtempSync(join(tmpdir(), 'firelink-env-'));
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('layers .env and .env.<project>, validates with the functions config, and lists what deploy will ask for', async () => {
    writeFileSync(join(dir, '.env'), 'FIRELINK_REGION=europe-west1\nFIRELINK_RETENTION_MAX_COUNT=5\n');
    writeFileSync(join(dir, '.env.my-firelink-1'), 'FIRELINK_RETENTION_MAX_COUNT=abc\n');
    writeFileSync(join(dir, '.env.other-project'), 'FIRELINK_SCHEDULE=never\n');
    await expect(checkFunctionsEnv(dir, 'my-firelink-1')).rejects.toThrow(/FIRELINK_RETENTION_MAX_COUNT: must be an integer/);
    writeFileSync(join(dir, '.env.my-firelink-1'), 'FIRELINK_RETENTION_MAX_COUNT=50\n');
    const missing = await checkFunctionsEnv(dir, 'my-firelink-1');
    expect(missing).toContain('FIRELINK_SCHEDULE');
    expect(missing).not.toContain('FIRELINK_REGION');
    expect(missing).not.toContain('FIRELINK_RETENTION_MAX_COUNT');
  });

  it('names the file of a line firebase-tools cannot parse, or a reserved key', async () => {
    writeFileSync(join(dir, '.env'), 'FIRELINK_REGION=europe-west1\nthis is not a pair\n');
    await expect(checkFunctionsEnv(dir, 'my-firelink-2')).rejects.toThrow(/functions\/\.env: Invalid dotenv file.*this is not a pair/);
    writeFileSync(join(dir, '.env'), 'GCLOUD_PROJECT=x\n');
    await expect(checkFunctionsEnv(dir, 'my-firelink-2')).rejects.toThrow(/GCLOUD_PROJECT is reserved/);
  });

  it('finds nothing missing in functions/.env.example', async () => {
    const example = mkdtempSync(join(tmpdir(), 'firelink-env-example-'));
    try {
      execFileSync('cp', [join(repoDir, 'functions', '.env.example'), join(example, '.env')]);
      expect(await checkFunctionsEnv(example, 'my-firelink-1')).toEqual([]);
    } finally {
      rmSync(example, { recursive: true, force: true });
    }
  });
});
