// Entry point of the functions host: loads a functions package in a worker process and
// fires its v2 database triggers and schedules from committed writes.
import type { FunctionsHost, FunctionsHostOptions } from './types.js';

export type {
  DatabaseEventKind,
  FunctionsHost,
  FunctionsHostOptions,
  ScheduleInfo,
  SkippedExport,
  TriggerInfo,
} from './types.js';

export async function startFunctionsHost(options: FunctionsHostOptions): Promise<FunctionsHost> {
  void options;
  throw new Error('functions host: not implemented yet');
}
