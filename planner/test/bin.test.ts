// The committed entry point as a user runs it: a real node process on the built dist/, so the
// exit codes reach the shell. Needs `npm run build -w planner` first (npm test at the root builds).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../bin/firelink-plan.js', import.meta.url));
const built = existsSync(new URL('../dist/cli.js', import.meta.url));

function run(...args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 20_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('bin/firelink-plan.js', () => {
  it('is built (run `npm run build -w planner` first)', () => {
    expect(built, 'planner/dist/cli.js is missing: run `npm run build -w model -w planner`').toBe(true);
  });

  it('exits 0 with the report', () => {
    const { code, stdout, stderr } = run('--devices', '10000', '--sample-ms', '10000', '--heartbeat-ms', '60000');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    // 0.2 + 1/60 + fleet summary (0.1 + 1/60) + 1/60 + 1/60 = 0.36667 writes/s; 10,000 devices
    // -> 3,666.7 against 700 usable -> 5.24 -> 6 instances (3.67 -> 4 at 100 %).
    expect(stdout).toContain('Instances needed: 6 (binding: writes/s; 4 at 100 % of the limits)');
  });

  it('exits 2 on a bad flag, naming it', () => {
    const { code, stdout, stderr } = run('--devices', '-5');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain("error: option '--devices <n>' argument '-5' is invalid.");
  });
});
