// The rtdb-emulator command line, driven in-process through runCli (src/cli.ts only adds argv and signals).
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { execFile, execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/cli-main.js';
import { startEmulator } from '../src/index.js';

const emulatorDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const fixtureFunctions = join(emulatorDir, 'test', 'fixtures', 'functions');

/** Runs a command without blocking this process's event loop (the emulator under test lives in it). */
function runBin(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { encoding: 'utf8' }, (error, stdout, stderr) => {
      resolve({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('rtdb-emulator CLI', () => {
  it('starts with the documented flags and prints one ready line with the URL', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rtdb-cli-'));
    const rules = join(dir, 'rules.json');
    writeFileSync(rules, '{ "rules": { ".read": true, ".write": false } }');
    writeFileSync(join(dir, 'in.json'), '{"a":1}');
    const lines: string[] = [];
    const emu = await runCli(
      ['--port', '0', '--host', '127.0.0.1', '--rules', rules, '--project', 'demo-cli', '--import', join(dir, 'in.json'), '--export', join(dir, 'out.json'), '--strict-tokens', '--token-max-age-seconds', '3600'],
      (l) => lines.push(l),
    );
    try {
      const ready = lines.filter((l) => l.includes('ready'));
      expect(ready).toHaveLength(1);
      expect(ready[0]).toContain(`url=${emu.url}`);
      expect(emu.config).toMatchObject({ projectId: 'demo-cli', strictTokens: true, tokenMaxAgeSeconds: 3600, namespace: 'demo-cli-default-rtdb' });
      expect(await (await fetch(`${emu.url}/a.json?ns=demo-cli-default-rtdb`)).json()).toBe(1);
      expect((await fetch(`${emu.url}/a.json?ns=demo-cli-default-rtdb`, { method: 'PUT', body: '2' })).status).toBe(401);
    } finally {
      await emu.stop();
    }
  });

  it('--help lists the subcommands, --version prints the version, an unknown subcommand is named', async () => {
    const run = (args: string[]) => runBin([join(emulatorDir, 'bin', 'rtdb-emulator.js'), ...args]);
    if (!existsSync(join(emulatorDir, 'dist', 'cli.js'))) execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: emulatorDir });
    const help = await run(['--help']);
    expect(help.status).toBe(0);
    for (const sub of ['run-schedule <name>', 'functions-status', 'functions-idle', '--data-dir <dir>']) expect(help.stdout).toContain(sub);
    const version = await run(['--version']);
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(join(emulatorDir, 'package.json'), 'utf8')).version);
    const unknown = await run(['run-shedule', 'x']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('unknown subcommand "run-shedule"; the subcommands are run-schedule, functions-status, functions-idle');
  });

  it('--no-invocation-log turns the line per successful function invocation off (on by default)', async () => {
    const quiet = await runCli(['--port', '0', '--no-invocation-log'], () => {});
    const loud = await runCli(['--port', '0'], () => {});
    try {
      expect(quiet.config.logInvocations).toBe(false);
      expect(loud.config.logInvocations).toBe(true);
    } finally {
      await Promise.all([quiet.stop(), loud.stop()]);
    }
  });

  it('rejects bad flag values before starting', async () => {
    await expect(runCli(['--port', 'abc'], () => {})).rejects.toThrow(/non-negative integer/);
    await expect(runCli(['--no-such-flag'], () => {})).rejects.toThrow(/unknown option/);
  });

  it('dispatches run-schedule from the installed binary to a running emulator', async () => {
    // The binary under test is the compiled one that `rtdb-emulator` resolves to.
    execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: emulatorDir });
    const bin = join(emulatorDir, 'dist', 'cli.js');
    const emu = await startEmulator({ port: 0, functions: fixtureFunctions, projectId: 'demo-cli' });
    try {
      const status = (await (await fetch(`${emu.url}/.functions/status`)).json()) as { schedules: { name: string }[] };
      const schedules = status.schedules.map((s) => s.name);
      expect(schedules.length).toBeGreaterThan(0);
      const ran = await runBin([bin, 'run-schedule', schedules[0]!, '--url', emu.url]);
      expect(ran.stderr).toBe('');
      expect(ran.status).toBe(0);
      expect(ran.stdout).toMatch(new RegExp(`^${schedules[0]} finished in [0-9.]+ ms`));
    } finally {
      await emu.stop();
    }
    const down = await runBin([bin, 'run-schedule', 'any', '--url', 'http://127.0.0.1:9']);
    expect(down.status).toBe(1);
    expect(down.stderr).toMatch(/cannot reach the emulator at http:\/\/127\.0\.0\.1:9 .*start it, or pass --url/);
  }, 60_000);
});
