#!/usr/bin/env node
// `rtdb-emulator`: starts the emulator from the command line; Ctrl-C / SIGTERM stop it cleanly.
import { CommanderError } from 'commander';
import { runCli } from './cli-main.js';
import { FUNCTIONS_COMMANDS, runFunctionsCommand } from './functions/cli-commands.js';
import { flushStderr } from './logs.js';

// `rtdb-emulator run-schedule <name>` and friends talk to a running emulator, then exit.
const subcommand = process.argv[2] ?? '';
if ((FUNCTIONS_COMMANDS as readonly string[]).includes(subcommand)) {
  process.exit(await runFunctionsCommand(process.argv.slice(2)));
}

try {
  const emulator = await runCli(process.argv.slice(2));
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    emulator.stop().then(
      () => process.exit(0),
      (e: unknown) => {
        flushStderr();
        process.stderr.write(`rtdb-emulator: error while stopping: ${(e as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (e) {
  // Commander has already printed its own message for bad flags and --help.
  if (e instanceof CommanderError) process.exit(e.exitCode);
  flushStderr();
  process.stderr.write(`${(e as Error).message}\n`);
  process.exit(1);
}
