// Entry point of the functions host: loads a functions package in a worker process and
// fires its v2 database triggers and schedules from committed writes.
import { resolveConfig } from './config.js';
import { createFunctionsHost } from './host.js';
import type { FunctionsHost, FunctionsHostOptions } from './types.js';

export type {
  DatabaseEventKind,
  FunctionsHost,
  FunctionsHostOptions,
  ScheduleInfo,
  SkippedExport,
  TriggerInfo,
} from './types.js';
export { functionsStatusRemote, runScheduleRemote, waitFunctionsIdleRemote } from './remote.js';
export { FUNCTIONS_COMMANDS, runFunctionsCommand } from './cli-commands.js';

/**
 * Starts the host. Rejects on bad options (missing package, unbuilt entry); a package that
 * fails to load is reported in the log and retried on the next change, with no triggers meanwhile.
 */
export async function startFunctionsHost(options: FunctionsHostOptions): Promise<FunctionsHost> {
  return createFunctionsHost(resolveConfig(options), options.commits, options.eventStore ?? null);
}
