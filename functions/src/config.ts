/**
 * The one way configuration enters the functions package: Firebase parameterized configuration
 * (`firebase-functions/params`, firebase.google.com/docs/functions/config-env). Every setting is a
 * declared param with a description, a default and an input rule, so `firebase deploy` lists them,
 * prompts for the missing ones and writes the answers to `functions/.env.<projectId>`. Values come
 * from `functions/.env` and `functions/.env.<projectId>` (deploy and both emulators read those).
 *
 * The values are read once at load from the variables the params name, and checked strictly here
 * (bounds included): `IntParam.value()` is `parseInt(env[name] || "0") || 0`
 * (firebase-functions `params/types.ts`), which would turn "1.5" into 1 and "abc" into 0 silently,
 * and calling `.value()` while firebase-tools discovers the functions logs a warning per param.
 * Deploy discovery sees the `.env` values, so a bad value stops `firebase deploy`, the local
 * functions host and `npm run deploy`'s check, naming the variable, the rule and the default.
 */
import { defineInt, defineString, type IntParam, type StringParam } from 'firebase-functions/params';
import { IR_MAX, IR_MIN, ZONE_MIN_DEVICES_MAX, ZONE_MIN_DEVICES_MIN, ZONE_WINDOW_MS_MAX, ZONE_WINDOW_MS_MIN } from '@firelink/model';
import type { ZoneRule } from './zones.js';

export interface FunctionsConfig {
  /** Cloud Functions region of every function. */
  region: string;
  /** RTDB instance pattern the triggers listen on (`*` = every instance, for sharding). */
  databaseInstance: string;
  /** Raw readings younger than this are kept. */
  retentionMaxAgeMs: number;
  /** At most this many readings are kept per device (the newest). */
  retentionMaxCount: number;
  /** Paths deleted per `update()`; bounds one write's size. */
  retentionBatchSize: number;
  /** Batches per device per run; the rest waits for the next run. */
  retentionMaxBatchesPerRun: number;
  /** A command not acknowledged this long after `createdAt` is expired. */
  commandTimeoutMs: number;
  /** An IR reading at or above this counts towards a zone alert. */
  zoneIrThreshold: number;
  /** Readings older than this (server time) no longer count towards a zone alert. */
  zoneWindowMs: number;
  /** Devices of one zone that must be past the threshold within the window to raise an alert. */
  zoneMinDevices: number;
  /** A REST device is offline once its heartbeat is older than this many heartbeat periods. */
  presenceMissedHeartbeats: number;
  /** A minute is rolled up this long after it ends, so late `ts` stamps land first. */
  rollupGraceMs: number;
  /** Minutes one rollup run catches up per device at most (bounds a run after downtime). */
  rollupMaxMinutesPerRun: number;
  /** Devices each scheduled job visits at once, per shard (fleet.ts `forEachDevice`). */
  jobConcurrency: number;
  /** Seconds over which one job run's device visits start, across all shards; 0 = no pacing (fleet.ts `forEachDevice`). */
  jobSpreadSeconds: number;
  /** Schedule of the periodic jobs (firebase-functions `onSchedule` syntax). */
  schedule: string;
  /**
   * Database URLs the scheduled jobs visit (one per shard); empty = the project's default
   * database. Triggers need no list: they write back to the instance their event came from.
   */
  databaseUrls: readonly string[];
  /**
   * Log a line for every mapped reading. Off by default: it is one line per reading (Cloud Logging
   * ingestion, cloud.google.com/stackdriver/pricing); the other reading outcomes are always logged.
   */
  logMappedReadings: boolean;
}

type IntKey = { [K in keyof FunctionsConfig]: FunctionsConfig[K] extends number ? K : never }[keyof FunctionsConfig];
type StringKey = Exclude<keyof FunctionsConfig, IntKey>;

interface IntSpec {
  name: string;
  default: number;
  min: number;
  max: number;
  description: string;
}
interface StringSpec {
  name: string;
  default: string;
  /** Anchored pattern the whole value must match (also the deploy prompt's validation). */
  pattern: RegExp;
  rule: string;
  example: string;
  description: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Every numeric setting: its variable, default, bounds and description, in one literal. */
export const INT_SETTINGS: Readonly<Record<IntKey, IntSpec>> = Object.freeze({
  retentionMaxAgeMs: { name: 'FIRELINK_RETENTION_MAX_AGE_MS', default: 7 * DAY_MS, min: 60_000, max: 3650 * DAY_MS, description: 'Readings older than this many milliseconds are deleted.' },
  retentionMaxCount: { name: 'FIRELINK_RETENTION_MAX_COUNT', default: 10_000, min: 1, max: 10_000_000, description: 'At most this many readings are kept per device (the newest).' },
  retentionBatchSize: { name: 'FIRELINK_RETENTION_BATCH_SIZE', default: 500, min: 1, max: 10_000, description: 'Readings deleted per database update by the retention job.' },
  retentionMaxBatchesPerRun: { name: 'FIRELINK_RETENTION_MAX_BATCHES_PER_RUN', default: 20, min: 1, max: 1_000, description: 'Retention batches per device and run; the rest waits for the next run.' },
  commandTimeoutMs: { name: 'FIRELINK_COMMAND_TIMEOUT_MS', default: 60_000, min: 1_000, max: 7 * DAY_MS, description: 'A command not acknowledged within this many milliseconds is expired.' },
  // The same bounds as a zone's own rule (the model's ZoneRuleSchema).
  zoneIrThreshold: { name: 'FIRELINK_ZONE_IR_THRESHOLD', default: 3_000, min: IR_MIN, max: IR_MAX, description: 'Default zone rule: an IR reading at or above this counts towards an alert.' },
  zoneWindowMs: { name: 'FIRELINK_ZONE_WINDOW_MS', default: 60_000, min: ZONE_WINDOW_MS_MIN, max: ZONE_WINDOW_MS_MAX, description: 'Default zone rule: readings older than this many milliseconds no longer count.' },
  zoneMinDevices: { name: 'FIRELINK_ZONE_MIN_DEVICES', default: 2, min: ZONE_MIN_DEVICES_MIN, max: ZONE_MIN_DEVICES_MAX, description: 'Default zone rule: devices past the threshold within the window that raise an alert.' },
  presenceMissedHeartbeats: { name: 'FIRELINK_PRESENCE_MISSED_HEARTBEATS', default: 3, min: 1, max: 100, description: 'A device is marked offline after this many missed heartbeat periods.' },
  rollupGraceMs: { name: 'FIRELINK_ROLLUP_GRACE_MS', default: 5_000, min: 0, max: 60_000, description: 'A minute is rolled up this many milliseconds after it ends.' },
  rollupMaxMinutesPerRun: { name: 'FIRELINK_ROLLUP_MAX_MINUTES_PER_RUN', default: 60, min: 1, max: 10_080, description: 'Minutes one rollup run catches up per device at most.' },
  jobConcurrency: { name: 'FIRELINK_JOB_CONCURRENCY', default: 16, min: 1, max: 100, description: 'Devices each scheduled job visits at once (per shard).' },
  // Below a minute, so a paced run ends before the next tick: the default schedule (`schedule`
  // below, `every 1 minutes`) is also the shortest one, a cron ticks at most once a minute.
  jobSpreadSeconds: { name: 'FIRELINK_JOB_SPREAD_SECONDS', default: 0, min: 0, max: 50, description: 'Seconds over which each scheduled job spreads its device visits (all shards together); 0 starts them at once.' },
});

const DATABASE_URL = String.raw`https://[a-z0-9-]+\.(?:firebaseio\.com|[a-z0-9-]+\.firebasedatabase\.app)/?`;

/** Every text setting, likewise. */
export const STRING_SETTINGS: Readonly<Record<StringKey, StringSpec>> = Object.freeze({
  region: {
    name: 'FIRELINK_REGION',
    default: 'us-central1',
    pattern: /^[a-z]+-[a-z]+\d+$/,
    rule: 'must be a Cloud Functions region such as us-central1 or europe-west1',
    example: 'europe-west1',
    description: 'Cloud Functions region of every function; pick one near the database location.',
  },
  databaseInstance: {
    name: 'FIRELINK_DATABASE_INSTANCE',
    default: '*',
    pattern: /^(?:\*|[a-z0-9][a-z0-9-]{0,62})$/,
    rule: 'must be an RTDB instance name such as my-project-default-rtdb, or * for every instance',
    example: 'my-project-default-rtdb',
    description: 'Realtime Database instance the triggers listen on; * listens on every instance (shards).',
  },
  schedule: {
    name: 'FIRELINK_SCHEDULE',
    default: 'every 1 minutes',
    pattern: /^(?:every \d+ (?:minutes|hours)|[0-9*/,\- ]+)$/,
    rule: 'must be "every N minutes", "every N hours" or a cron expression',
    example: 'every 5 minutes',
    description: 'Schedule of the presence, zone, rollup, retention and command jobs.',
  },
  databaseUrls: {
    name: 'FIRELINK_DATABASE_URLS',
    default: '',
    pattern: new RegExp(`^(?:|${DATABASE_URL}(?:\\s*,\\s*${DATABASE_URL})*)$`),
    rule:
      'must be empty (the default database) or database URLs such as https://my-db.firebaseio.com or ' +
      'https://my-db.europe-west1.firebasedatabase.app, separated by commas',
    example: 'https://shard-1.europe-west1.firebasedatabase.app,https://shard-2.europe-west1.firebasedatabase.app',
    description: 'Database URLs the scheduled jobs visit, one per shard; empty visits the default database.',
  },
  logMappedReadings: {
    name: 'FIRELINK_LOG_MAPPED_READINGS',
    default: 'false',
    pattern: /^(?:true|false)$/,
    rule: 'must be true or false',
    example: 'true',
    description: 'Log a line for every mapped reading (one per reading: Cloud Logging volume); other reading outcomes are always logged.',
  },
});

function intParam(spec: IntSpec): IntParam {
  return defineInt(spec.name, {
    default: spec.default,
    description: `${spec.description} Integer ${spec.min}..${spec.max}.`,
    input: {
      text: {
        example: String(spec.default),
        validationRegex: /^\d+$/,
        validationErrorMessage: `${spec.name} must be an integer between ${spec.min} and ${spec.max}`,
      },
    },
  });
}

function stringParam(spec: StringSpec): StringParam {
  return defineString(spec.name, {
    default: spec.default,
    description: spec.description,
    input: { text: { example: spec.example, validationRegex: spec.pattern, validationErrorMessage: `${spec.name} ${spec.rule}` } },
  });
}

/**
 * The declared params. Declaring them is what makes `firebase deploy` resolve them; trigger
 * options that accept an expression (the region) take the param itself, so deploy resolves it.
 */
export const params = Object.freeze({
  ...(Object.fromEntries(Object.entries(INT_SETTINGS).map(([k, s]) => [k, intParam(s)])) as Record<IntKey, IntParam>),
  ...(Object.fromEntries(Object.entries(STRING_SETTINGS).map(([k, s]) => [k, stringParam(s)])) as Record<StringKey, StringParam>),
});

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

function readInt(env: NodeJS.ProcessEnv, spec: IntSpec): number {
  const raw = env[spec.name];
  if (raw === undefined || raw === '') return spec.default;
  const value = Number(raw.trim());
  if (!/^-?\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < spec.min || value > spec.max) {
    throw new ConfigError(
      `${spec.name}: must be an integer between ${spec.min} and ${spec.max} (got ${JSON.stringify(raw)}); ` +
        `fix it in functions/.env or functions/.env.<projectId>, or remove it to use the default ${spec.default}`,
    );
  }
  return value;
}

function readString(env: NodeJS.ProcessEnv, spec: StringSpec): string {
  const raw = env[spec.name];
  if (raw === undefined || raw === '') return spec.default;
  if (!spec.pattern.test(raw)) {
    throw new ConfigError(
      `${spec.name}: ${spec.rule} (got ${JSON.stringify(raw)}); fix it in functions/.env or ` +
        `functions/.env.<projectId>, or remove it to use the default ${JSON.stringify(spec.default)}`,
    );
  }
  return raw;
}

/** Validates every setting in `env` (the variables the params name); frozen result. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Readonly<FunctionsConfig> {
  const ints = Object.fromEntries(
    (Object.entries(INT_SETTINGS) as [IntKey, IntSpec][]).map(([key, spec]) => [key, readInt(env, spec)]),
  ) as Record<IntKey, number>;
  const urls = readString(env, STRING_SETTINGS.databaseUrls);
  return Object.freeze({
    ...ints,
    region: readString(env, STRING_SETTINGS.region),
    databaseInstance: readString(env, STRING_SETTINGS.databaseInstance),
    schedule: readString(env, STRING_SETTINGS.schedule),
    databaseUrls: Object.freeze(urls.split(',').map((u) => u.trim()).filter((u) => u.length > 0)),
    logMappedReadings: readString(env, STRING_SETTINGS.logMappedReadings) === 'true',
  });
}

/** Loaded once when the package loads: a bad value stops deployment and the local functions host. */
export const config: Readonly<FunctionsConfig> = loadConfig();

/** The zone rule a zone without its own `rule` follows (FIRELINK_ZONE_* above). */
export const defaultZoneRule: Readonly<ZoneRule> = Object.freeze({
  irThreshold: config.zoneIrThreshold,
  windowMs: config.zoneWindowMs,
  minDevices: config.zoneMinDevices,
});
