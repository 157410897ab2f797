// All configuration enters the simulator here: command-line flags win over
// environment variables, which win over a JSON file (`--config`), which wins over the defaults
// below. The result is validated once and frozen; a bad value fails before anything starts with
// a message naming the option and where it came from.
//
// Local emulators are the default (database 127.0.0.1:9000, auth 127.0.0.1:9099, project
// demo-firelink, like firebase-tools). Real Firebase needs an explicit non-demo `--project` AND
// `--api-key` (flags or config file, never environment alone), so a stray variable cannot
// point a test at production.
import { readFileSync } from 'node:fs';
import { DEVICE_ID_PATTERN, SAMPLE_MS_MAX, SAMPLE_MS_MIN } from '@firelink/model';
import { z } from 'zod';
import { SimError } from '../errors.js';

const hostPort = z.string().regex(/^[^\s/:]+:\d{1,5}$/, 'must be host:port, e.g. 127.0.0.1:9000');
const positiveInt = z.coerce.number().int().positive();

export const ConnectionSchema = z.strictObject({
  project: z.string().regex(/^[a-z0-9-]{4,40}$/, 'must be a Firebase project id (lowercase letters, digits, dashes)'),
  apiKey: z.string().min(1).optional(),
  databaseEmulatorHost: hostPort,
  authEmulatorHost: hostPort,
  /**
   * The device's shard, as provisioning prints it: https://<instance>.firebaseio.com (production)
   * or http://host:port/?ns=<instance> (emulator); default: the default instance.
   */
  databaseUrl: z.url().optional(),
  /** The default instance, which holds the directory `deviceShards/{id}`; same forms, same default. */
  directoryUrl: z.url().optional(),
  /** Emulator namespace (`?ns=`); default `<project>-default-rtdb`, the default instance's name. */
  namespace: z.string().min(1).optional(),
  transport: z.enum(['rest', 'sdk', 'mqtt']),
  /** The MQTT gateway (`--transport mqtt`): mqtt://, mqtts://, ws:// or wss://. */
  mqttUrl: z.string().regex(/^(mqtts?|wss?):\/\/\S+$/, 'must be an MQTT URL such as mqtt://127.0.0.1:1883 or wss://host/mqtt'),
  requestTimeoutMs: positiveInt,
  streamIdleTimeoutMs: positiveInt,
  refreshMarginMs: z.coerce.number().int().nonnegative(),
  /** Assume tokens live at most this long (tests with compressed token lifetimes). */
  maxTokenLifetimeMs: positiveInt.optional(),
  backoffBaseMs: positiveInt,
  backoffMaxMs: positiveInt,
  logLevel: z.enum(['debug', 'info', 'warn', 'error']),
});

const deviceId = z.string().regex(DEVICE_ID_PATTERN, 'must be 2..63 characters of a-z 0-9 and -, starting with a letter or digit');

export const RunSchema = z.strictObject({
  ...ConnectionSchema.shape,
  device: deviceId,
  email: z.string().min(3).optional(),
  password: z.string().min(1).optional(),
  credentialsFile: z.string().min(1).optional(),
  queueFile: z.string().min(1).optional(),
  maxQueued: positiveInt,
  seed: z.coerce.number().int().nonnegative().optional(),
  durationMs: z.coerce.number().int().nonnegative(),
  /** After a timed run: stop sampling and wait this long at most for the queue and states to settle. */
  drainMs: z.coerce.number().int().nonnegative(),
  view: z.enum(['live', 'json', 'none']).optional(),
  fw: z.string().regex(/^[0-9A-Za-z][0-9A-Za-z.+-]{0,31}$/),
  streams: z.enum(['all', 'state']),
  sampleMs: z.coerce.number().int().min(SAMPLE_MS_MIN).max(SAMPLE_MS_MAX).optional(),
});

export const FleetSchema = z.strictObject({
  ...ConnectionSchema.shape,
  count: positiveInt.max(100_000),
  /** Readings per second per device (overrides each device's config.sampleMs). */
  rate: z.coerce.number().positive().max(10).optional(),
  prefix: z.string().regex(/^[a-z0-9][a-z0-9-]{0,40}$/, 'must be lowercase letters, digits and dashes'),
  owner: z.string().min(1),
  /** auto: provision against the emulator, never against real Firebase; never: use credentialsFile. */
  provision: z.enum(['auto', 'always', 'never']),
  /** JSON array of {deviceId, email, password} for devices provisioned beforehand. */
  credentialsFile: z.string().min(1).optional(),
  /** Issue new passwords even for devices that are online elsewhere. */
  rotate: z.coerce.boolean(),
  queueDir: z.string().min(1).optional(),
  maxQueued: positiveInt,
  seed: z.coerce.number().int().nonnegative().optional(),
  durationMs: z.coerce.number().int().nonnegative(),
  statsIntervalMs: positiveInt,
  /** After the duration: stop sampling and wait this long at most for queues and states to settle. */
  drainMs: z.coerce.number().int().nonnegative(),
  reportFile: z.string().min(1).optional(),
  startSpreadMs: z.coerce.number().int().nonnegative(),
  fw: z.string().regex(/^[0-9A-Za-z][0-9A-Za-z.+-]{0,31}$/),
  streams: z.enum(['all', 'state']),
});

export const DataSchema = z.strictObject({
  ...ConnectionSchema.shape,
  email: z.string().min(3).optional(),
  password: z.string().min(1).optional(),
  credentialsFile: z.string().min(1).optional(),
  /** Emulator only: act as admin (`Authorization: Bearer owner`), bypassing rules. */
  admin: z.coerce.boolean(),
});

export type ConnectionConfig = z.output<typeof ConnectionSchema>;
export type RunConfig = z.output<typeof RunSchema>;
export type FleetConfig = z.output<typeof FleetSchema>;
export type DataConfig = z.output<typeof DataSchema>;

export const CONNECTION_DEFAULTS = {
  project: 'demo-firelink',
  databaseEmulatorHost: '127.0.0.1:9000',
  authEmulatorHost: '127.0.0.1:9099',
  transport: 'rest',
  mqttUrl: 'mqtt://127.0.0.1:1883',
  requestTimeoutMs: 10_000,
  streamIdleTimeoutMs: 90_000,
  refreshMarginMs: 300_000,
  backoffBaseMs: 500,
  backoffMaxMs: 30_000,
  logLevel: 'info',
} as const;

export const RUN_DEFAULTS = { ...CONNECTION_DEFAULTS, maxQueued: 10_000, durationMs: 0, drainMs: 10_000, fw: 'sim-0.1.0', streams: 'all' } as const;
export const FLEET_DEFAULTS = {
  ...CONNECTION_DEFAULTS,
  prefix: 'sim',
  owner: 'demo-owner',
  provision: 'auto',
  rotate: false,
  maxQueued: 1_000,
  durationMs: 0,
  statsIntervalMs: 1_000,
  drainMs: 10_000,
  startSpreadMs: 2_000,
  fw: 'sim-0.1.0',
  streams: 'all',
} as const;
export const DATA_DEFAULTS = { ...CONNECTION_DEFAULTS, admin: false } as const;

/** Environment variables, by option. Firebase's own names where they exist. */
export const ENV_VARS: Record<string, string> = {
  project: 'GCLOUD_PROJECT',
  databaseEmulatorHost: 'FIREBASE_DATABASE_EMULATOR_HOST',
  authEmulatorHost: 'FIREBASE_AUTH_EMULATOR_HOST',
  namespace: 'DEVICE_SIM_NAMESPACE',
  transport: 'DEVICE_SIM_TRANSPORT',
  mqttUrl: 'DEVICE_SIM_MQTT_URL',
  device: 'DEVICE_SIM_DEVICE',
  email: 'DEVICE_SIM_EMAIL',
  password: 'DEVICE_SIM_PASSWORD',
  credentialsFile: 'DEVICE_SIM_CREDENTIALS',
  queueFile: 'DEVICE_SIM_QUEUE_FILE',
  queueDir: 'DEVICE_SIM_QUEUE_DIR',
  count: 'DEVICE_SIM_COUNT',
  rate: 'DEVICE_SIM_RATE',
  owner: 'DEVICE_SIM_OWNER',
  durationMs: 'DEVICE_SIM_DURATION_MS',
  logLevel: 'DEVICE_SIM_LOG_LEVEL',
  maxTokenLifetimeMs: 'DEVICE_SIM_MAX_TOKEN_LIFETIME_MS',
  streams: 'DEVICE_SIM_STREAMS',
};
/** Options that may only come from flags or a config file (explicit production switches). */
export const NOT_FROM_ENV: ReadonlySet<string> = new Set(['apiKey', 'databaseUrl', 'directoryUrl']);

export interface ConfigSources {
  flags: Record<string, unknown>;
  env: NodeJS.ProcessEnv;
  /** Path of a JSON config file (`--config`). */
  file?: string | undefined;
}

function readJsonFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new SimError('bad-config', `cannot read config file ${path}: ${(error as Error).message}`);
  }
  try {
    const value = JSON.parse(text) as unknown;
    if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error('top level must be an object');
    return value as Record<string, unknown>;
  } catch (error) {
    throw new SimError('bad-config', `config file ${path} is not a JSON object: ${(error as Error).message}`);
  }
}

/** Layers the sources over the defaults, validates against `schema` and freezes the result. */
export function loadConfig<S extends z.ZodObject>(schema: S, defaults: Record<string, unknown>, sources: ConfigSources): Readonly<z.output<S>> {
  const keys = Object.keys(schema.shape);
  const origin: Record<string, string> = {};
  const merged: Record<string, unknown> = {};
  const layer = (values: Record<string, unknown>, name: string) => {
    for (const [key, value] of Object.entries(values)) {
      if (value === undefined) continue;
      merged[key] = value;
      origin[key] = name;
    }
  };
  layer(defaults, 'default');
  if (sources.file) layer(readJsonFile(sources.file), `config file ${sources.file}`);
  const fromEnv: Record<string, unknown> = {};
  for (const key of keys) {
    const name = ENV_VARS[key];
    if (name && !NOT_FROM_ENV.has(key) && sources.env[name] !== undefined && sources.env[name] !== '') fromEnv[key] = sources.env[name];
  }
  layer(fromEnv, 'environment');
  layer(Object.fromEntries(Object.entries(sources.flags).filter(([k]) => keys.includes(k))), 'flag');
  const result = schema.safeParse(merged);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const key = String(issue.path[0] ?? '');
      const from = origin[key] ?? 'input';
      const flag = `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
      const env = ENV_VARS[key] ? ` / ${ENV_VARS[key]}` : '';
      return issue.code === 'unrecognized_keys'
        ? `unknown option(s) ${issue.keys.join(', ')} in ${origin[issue.keys[0] ?? ''] ?? 'the config file'}`
        : `${flag}${env} (from ${from}): ${issue.message}`;
    });
    throw new SimError('bad-config', `invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const config = result.data as z.output<S> & ConnectionConfig;
  checkTarget(config, origin);
  return Object.freeze(config);
}

export function isProduction(config: ConnectionConfig): boolean {
  return config.apiKey !== undefined && !config.project.startsWith('demo-');
}

function checkTarget(config: ConnectionConfig, origin: Record<string, string>): void {
  if (config.apiKey !== undefined && !config.project.startsWith('demo-') && origin.project !== 'flag' && !origin.project?.startsWith('config file')) {
    throw new SimError('bad-config', 'real Firebase needs an explicit --project (flag or config file) together with --api-key');
  }
  for (const [key, flag] of [['databaseUrl', '--database-url'], ['directoryUrl', '--directory-url']] as const) {
    const url = config[key];
    if (url !== undefined) targetOfUrl(url, config, flag);
  }
}

/** Where a URL of the emulator form (`?ns=<instance>`) or of a production instance points. */
export function targetOfUrl(url: string, config: ConnectionConfig, what = 'the database URL'): DatabaseTarget {
  const parsed = new URL(url);
  const namespace = parsed.searchParams.get('ns');
  if (namespace !== null) {
    if (isProduction(config)) {
      throw new SimError('bad-config', `${what} ${url} is an emulator URL (?ns=), but --project ${config.project} with --api-key is real Firebase: give https://<instance>.firebaseio.com`);
    }
    return { origin: parsed.origin, namespace, sdkUrl: `https://${namespace}.firebaseio.com`, emulatorHost: parsed.host };
  }
  if (!isProduction(config)) {
    throw new SimError(
      'bad-config',
      `${what} ${url} is a real Firebase URL: also give a non-demo --project and --api-key, or use the emulator form http://host:port/?ns=<instance>`,
    );
  }
  return { origin: parsed.origin, namespace: null, sdkUrl: parsed.origin, emulatorHost: null };
}

/**
 * Where a device without a given URL lives: the default instance `<project>-default-rtdb`, or on
 * the emulator the `--namespace` given. (The functions write back to the instance of their event.)
 */
export function defaultInstanceUrl(config: ConnectionConfig): string {
  if (isProduction(config)) return `https://${config.project}-default-rtdb.firebaseio.com`;
  return `http://${config.databaseEmulatorHost}/?ns=${config.namespace ?? `${config.project}-default-rtdb`}`;
}

/** The directory `deviceShards` is always in the default instance, whatever `--namespace` says. */
function defaultDirectoryUrl(config: ConnectionConfig): string {
  if (isProduction(config)) return `https://${config.project}-default-rtdb.firebaseio.com`;
  return `http://${config.databaseEmulatorHost}/?ns=${config.project}-default-rtdb`;
}

/**
 * A device's two URLs (docs/scaling.md "How: the shard design"): where it starts and its
 * directory. Flags and config file first, then the credentials file from provisioning, then the
 * default instance (the database: `--namespace` on the emulator when given).
 */
export function deviceUrls(config: ConnectionConfig, credentials?: DeviceCredentials): { databaseUrl: string; directoryUrl: string } {
  const directoryUrl = config.directoryUrl ?? credentials?.directoryUrl ?? defaultDirectoryUrl(config);
  const databaseUrl = config.databaseUrl ?? credentials?.databaseUrl ?? defaultInstanceUrl(config);
  targetOfUrl(databaseUrl, config, 'the database URL (--database-url or the credentials file)');
  targetOfUrl(directoryUrl, config, 'the directory URL (--directory-url or the credentials file)');
  return { databaseUrl, directoryUrl };
}

/** Where the database lives, for both transports. */
export interface DatabaseTarget {
  /** REST origin. */
  origin: string;
  /** Emulator namespace (`?ns=`), null in production. */
  namespace: string | null;
  /** `databaseURL` for the SDK (the emulator derives the namespace from its host name). */
  sdkUrl: string;
  /** host:port for `connectDatabaseEmulator`, null in production. */
  emulatorHost: string | null;
}

export function databaseTarget(config: ConnectionConfig): DatabaseTarget {
  return targetOfUrl(config.databaseUrl ?? defaultInstanceUrl(config), config);
}

export function authTarget(config: ConnectionConfig): { emulatorHost: string | null; apiKey: string } {
  return isProduction(config)
    ? { emulatorHost: null, apiKey: config.apiKey ?? '' }
    : // The Auth emulator accepts any key (firebase-tools auth emulator ignores it).
      { emulatorHost: config.authEmulatorHost, apiKey: config.apiKey ?? 'demo-api-key' };
}

export interface DeviceCredentials {
  email: string;
  password: string;
  /** From provisioning's credentials file: the device's shard and the directory. */
  databaseUrl?: string;
  directoryUrl?: string;
}

/**
 * Email + password from flags/env, or from a credentials file `{"email","password"}` (with
 * provisioning's `databaseUrl` and `directoryUrl` when it has them).
 */
export function resolveCredentials(config: { email?: string | undefined; password?: string | undefined; credentialsFile?: string | undefined }, what: string): DeviceCredentials {
  if (config.email !== undefined && config.password !== undefined) return { email: config.email, password: config.password };
  if (config.credentialsFile !== undefined) {
    const file = readJsonFile(config.credentialsFile);
    if (typeof file.email === 'string' && typeof file.password === 'string') {
      const urls: { databaseUrl?: string; directoryUrl?: string } = {};
      for (const key of ['databaseUrl', 'directoryUrl'] as const) {
        const value = file[key];
        if (value === undefined) continue;
        if (typeof value !== 'string' || !URL.canParse(value)) {
          throw new SimError('bad-config', `credentials file ${config.credentialsFile}: "${key}" must be a database URL (got ${JSON.stringify(value)}); provisioning writes it`);
        }
        urls[key] = value;
      }
      return { email: file.email, password: file.password, ...urls };
    }
    throw new SimError('bad-config', `credentials file ${config.credentialsFile} must hold {"email": "...", "password": "..."}`);
  }
  throw new SimError('bad-config', `${what} needs credentials: --email and --password (or DEVICE_SIM_EMAIL / DEVICE_SIM_PASSWORD), or --credentials-file <json>`);
}
