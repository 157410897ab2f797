// Sub-commands of `rtdb-emulator` that talk to a running emulator's functions host:
//   rtdb-emulator run-schedule <name> [--url http://127.0.0.1:9000]
//   rtdb-emulator functions-status [--url …]
//   rtdb-emulator functions-idle [--url …] [--timeout-ms 30000]
// The CLI dispatches here when the first argument names one of FUNCTIONS_COMMANDS.
import { Command, InvalidArgumentError } from 'commander';
import { functionsStatusRemote, runScheduleRemote, waitFunctionsIdleRemote } from './remote.js';

export const FUNCTIONS_COMMANDS = ['run-schedule', 'functions-status', 'functions-idle'] as const;

const DEFAULT_URL = 'http://127.0.0.1:9000';

function milliseconds(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number of milliseconds');
  return n;
}

/** Runs one functions sub-command; `argv` starts with the command name. Resolves to the exit code. */
export async function runFunctionsCommand(
  argv: readonly string[],
  out: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): Promise<number> {
  let code = 0;
  const urlOption = ['--url <url>', 'emulator base URL', process.env['RTDB_EMULATOR_URL'] ?? DEFAULT_URL] as const;
  const program = new Command().name('rtdb-emulator').exitOverride();
  program
    .command('run-schedule <name>')
    .description('run a scheduled function now and wait for it to finish')
    .option(...urlOption)
    .action(async (name: string, o: { url: string }) => {
      const result = await runScheduleRemote(o.url, name);
      out(`${result.name} finished in ${result.durationMs.toFixed(1)} ms`);
    });
  program
    .command('functions-status')
    .description('print the triggers, schedules and skipped exports of the functions host as JSON')
    .option(...urlOption)
    .action(async (o: { url: string }) => {
      out(JSON.stringify(await functionsStatusRemote(o.url), null, 2));
    });
  program
    .command('functions-idle')
    .description('wait until every queued function event has been handled')
    .option(...urlOption)
    .option('--timeout-ms <ms>', 'give up after this long', milliseconds, 30_000)
    .action(async (o: { url: string; timeoutMs: number }) => {
      await waitFunctionsIdleRemote(o.url, o.timeoutMs);
      out('functions idle');
    });
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (err) {
    const e = err as { code?: string; exitCode?: number; message: string };
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return 0;
    if (e.code === undefined || !e.code.startsWith('commander.')) process.stderr.write(`rtdb-emulator: ${e.message}\n`);
    code = e.exitCode && e.exitCode !== 0 ? e.exitCode : 1;
  }
  return code;
}
