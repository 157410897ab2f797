// Public shapes of the functions host. The database server wires the host in through
// `startFunctionsHost` (index.ts) and these types only.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CommitSource } from '../contracts.js';
import type { FunctionsEventStore } from '../durable/data-dir.js';

export type DatabaseEventKind = 'created' | 'updated' | 'deleted' | 'written';

export interface FunctionsHostOptions {
  /** The functions package: a folder with a package.json whose `main` is the compiled entry. */
  functionsDir: string;
  projectId: string;
  /** "127.0.0.1:port" of our database; handlers' firebase-admin talks to it. */
  databaseHost: string;
  /** "127.0.0.1:port" of the Auth emulator, when one runs. */
  authEmulatorHost?: string;
  commits: CommitSource;
  /** One line per log event; default writes to stderr. */
  log?: (line: string) => void;
  /** Namespace in FIREBASE_CONFIG.databaseURL; default `<projectId>-default-rtdb`. */
  defaultNamespace?: string;
  /** Watch the entry's folder and reload on change (default true). */
  watch?: boolean;
  /** Run schedules on their timers (default true); `runSchedule` works either way. */
  runSchedulesOnTimer?: boolean;
  /** Longest function-to-function trigger chain before it is stopped as runaway (default 64). */
  maxCascadeDepth?: number;
  /** Log every successful invocation (default true); failures and function output are logged regardless. */
  logInvocations?: boolean;
  /** Durable mode: pending events are journaled and re-delivered after a crash. */
  eventStore?: FunctionsEventStore;
}

export interface TriggerInfo {
  /** Export name, nested groups joined with `-` (as firebase-tools names them). */
  name: string;
  kind: DatabaseEventKind;
  /** Path pattern without leading slash, e.g. `devices/{deviceId}/readings/{readingId}`. */
  ref: string;
  /** Literal instance or pattern (`*` = every namespace). */
  instance: string;
  region: string;
  retry: boolean;
  timeoutSeconds: number;
}

export interface ScheduleInfo {
  name: string;
  /** As declared: a cron expression or `every N minutes|hours`. */
  schedule: string;
  timeZone: string;
  region: string;
  timeoutSeconds: number;
  /** ISO time of the next timed run; null when timers are off or the host is stopped. */
  nextRunAt: string | null;
}

export interface SkippedExport {
  name: string;
  reason: string;
}

export interface FunctionsHost {
  triggers: TriggerInfo[];
  schedules: ScheduleInfo[];
  skipped: SkippedExport[];
  /** Runs a scheduled function now; rejects with the handler's error. */
  runSchedule(name: string): Promise<void>;
  /** Serves paths under `/.functions/` (see README "Functions host"). */
  handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** Restarts the worker with freshly loaded code and rediscovers triggers. */
  reload(): Promise<void>;
  stop(): Promise<void>;
  /** Resolves once every queued event (cascades included) has been handled. */
  idle(): Promise<void>;
}
