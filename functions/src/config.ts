/**
 * The one way configuration enters the functions package: environment variables (in production a
 * `functions/.env` file, which `firebase deploy` reads), validated once at load, frozen afterwards.
 * A bad value fails at load with the variable's name, the rule and an example.
 */
import { IR_MAX, IR_MIN, ZONE_MIN_DEVICES_MAX, ZONE_MIN_DEVICES_MIN, ZONE_WINDOW_MS_MAX, ZONE_WINDOW_MS_MIN } from '@firelink/model';

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
  /** Schedule of the periodic jobs (firebase-functions `onSchedule` syntax). */
  schedule: string;
  /**
   * Database URLs the scheduled jobs visit (one per shard); empty = the project's default
   * database. Triggers need no list: they write back to the instance their event came from.
   */
  databaseUrls: readonly string[];
}

const DEFAULTS: FunctionsConfig = {
  region: 'us-central1',
  databaseInstance: '*',
  retentionMaxAgeMs: 7 * 24 * 60 * 60 * 1000,
  retentionMaxCount: 10_000,
  retentionBatchSize: 500,
  retentionMaxBatchesPerRun: 20,
  commandTimeoutMs: 60_000,
  zoneIrThreshold: 3_000,
  zoneWindowMs: 60_000,
  zoneMinDevices: 2,
  presenceMissedHeartbeats: 3,
  rollupGraceMs: 5_000,
  rollupMaxMinutesPerRun: 60,
  schedule: 'every 1 minutes',
  databaseUrls: [],
};

type IntKey = {
  [K in keyof FunctionsConfig]: FunctionsConfig[K] extends number ? K : never;
}[keyof FunctionsConfig];

/** Environment variable, bounds, for every numeric setting. */
const INTS: Record<IntKey, { env: string; min: number; max: number }> = {
  retentionMaxAgeMs: { env: 'FIRELINK_RETENTION_MAX_AGE_MS', min: 60_000, max: 10 * 365 * 24 * 3_600_000 },
  retentionMaxCount: { env: 'FIRELINK_RETENTION_MAX_COUNT', min: 1, max: 10_000_000 },
  retentionBatchSize: { env: 'FIRELINK_RETENTION_BATCH_SIZE', min: 1, max: 10_000 },
  retentionMaxBatchesPerRun: { env: 'FIRELINK_RETENTION_MAX_BATCHES_PER_RUN', min: 1, max: 1_000 },
  commandTimeoutMs: { env: 'FIRELINK_COMMAND_TIMEOUT_MS', min: 1_000, max: 7 * 24 * 3_600_000 },
  // The same bounds as a zone's own rule (the model's ZoneRuleSchema).
  zoneIrThreshold: { env: 'FIRELINK_ZONE_IR_THRESHOLD', min: IR_MIN, max: IR_MAX },
  zoneWindowMs: { env: 'FIRELINK_ZONE_WINDOW_MS', min: ZONE_WINDOW_MS_MIN, max: ZONE_WINDOW_MS_MAX },
  zoneMinDevices: { env: 'FIRELINK_ZONE_MIN_DEVICES', min: ZONE_MIN_DEVICES_MIN, max: ZONE_MIN_DEVICES_MAX },
  presenceMissedHeartbeats: { env: 'FIRELINK_PRESENCE_MISSED_HEARTBEATS', min: 1, max: 100 },
  rollupGraceMs: { env: 'FIRELINK_ROLLUP_GRACE_MS', min: 0, max: 60_000 },
  rollupMaxMinutesPerRun: { env: 'FIRELINK_ROLLUP_MAX_MINUTES_PER_RUN', min: 1, max: 10_080 },
};

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

function readInt(env: NodeJS.ProcessEnv, key: IntKey): number {
  const { env: name, min, max } = INTS[key];
  const raw = env[name];
  if (raw === undefined || raw === '') return DEFAULTS[key];
  const value = Number(raw);
  if (!/^-?\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new ConfigError(
      `${name}: must be an integer between ${min} and ${max} (got ${JSON.stringify(raw)}); ` +
        `unset it to use the default ${DEFAULTS[key]}`,
    );
  }
  return value;
}

function readString(env: NodeJS.ProcessEnv, name: string, fallback: string, pattern: RegExp, rule: string): string {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!pattern.test(raw)) {
    throw new ConfigError(`${name}: ${rule} (got ${JSON.stringify(raw)}); unset it to use the default ${fallback}`);
  }
  return raw;
}

function readUrls(env: NodeJS.ProcessEnv): readonly string[] {
  const raw = env.FIRELINK_DATABASE_URLS;
  if (raw === undefined || raw.trim() === '') return Object.freeze([]);
  const urls = raw.split(',').map((u) => u.trim()).filter((u) => u.length > 0);
  for (const url of urls) {
    if (!/^https:\/\/[a-z0-9-]+\.(firebaseio\.com|[a-z0-9-]+\.firebasedatabase\.app)\/?$/.test(url)) {
      throw new ConfigError(
        `FIRELINK_DATABASE_URLS: each entry must be a database URL such as https://my-db.firebaseio.com or ` +
          `https://my-db.europe-west1.firebasedatabase.app, separated by commas (got ${JSON.stringify(url)})`,
      );
    }
  }
  return Object.freeze(urls);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Readonly<FunctionsConfig> {
  const ints = {} as Record<IntKey, number>;
  for (const key of Object.keys(INTS) as IntKey[]) ints[key] = readInt(env, key);
  return Object.freeze({
    ...DEFAULTS,
    ...ints,
    region: readString(
      env,
      'FIRELINK_REGION',
      DEFAULTS.region,
      /^[a-z]+-[a-z]+\d+$/,
      'must be a Cloud Functions region such as us-central1 or europe-west1',
    ),
    databaseInstance: readString(
      env,
      'FIRELINK_DATABASE_INSTANCE',
      DEFAULTS.databaseInstance,
      /^(\*|[a-z0-9][a-z0-9-]{0,62})$/,
      'must be an RTDB instance name such as my-project-default-rtdb, or * for every instance',
    ),
    schedule: readString(
      env,
      'FIRELINK_SCHEDULE',
      DEFAULTS.schedule,
      /^(every \d+ (minutes|hours)|[0-9*/,\- ]+)$/,
      'must be "every N minutes", "every N hours" or a cron expression',
    ),
    databaseUrls: readUrls(env),
  });
}

/** Loaded once when the package loads: a bad value stops deployment and emulator load. */
export const config: Readonly<FunctionsConfig> = loadConfig();
