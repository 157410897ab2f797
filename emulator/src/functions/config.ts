// The one place options enter the functions host: validated, defaulted, frozen.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { loadDotenvFiles } from './dotenv.js';
import type { FunctionsHostOptions } from './types.js';

export interface HostConfig {
  functionsDir: string;
  /** The compiled entry (`main` of the package), absolute. */
  entryPath: string;
  /** What reload watches: the entry's folder (e.g. functions/lib). */
  watchDir: string;
  projectId: string;
  databaseHost: string;
  authEmulatorHost: string | null;
  defaultNamespace: string;
  watch: boolean;
  runSchedulesOnTimer: boolean;
  maxCascadeDepth: number;
  logInvocations: boolean;
  log: (line: string) => void;
}

const DEFAULTS = {
  watch: true,
  runSchedulesOnTimer: true,
  maxCascadeDepth: 64,
  log: (line: string) => process.stderr.write(`${line}\n`),
} as const;

/** `manual` keeps schedules off their timers (tests run them on demand); `timer` is the default. */
export const SCHEDULES_ENV = 'RTDB_EMULATOR_SCHEDULES';

const HOST_PORT = /^[A-Za-z0-9.\-[\]:]+:\d{1,5}$/;

export function resolveConfig(options: FunctionsHostOptions): Readonly<HostConfig> {
  const functionsDir = resolve(options.functionsDir);
  const packageJsonPath = resolve(functionsDir, 'package.json');
  if (!existsSync(packageJsonPath)) {
    throw new Error(`functions host: ${packageJsonPath} not found; --functions must name the functions package folder`);
  }
  let main = 'index.js';
  try {
    const parsed = JSON.parse(readFileSync(packageJsonPath, 'utf8')) as { main?: unknown };
    if (typeof parsed.main === 'string' && parsed.main.length > 0) main = parsed.main;
  } catch (err) {
    throw new Error(`functions host: ${packageJsonPath} is not valid JSON (${(err as Error).message})`, { cause: err });
  }
  const entryPath = resolveEntry(isAbsolute(main) ? main : resolve(functionsDir, main));
  if (!entryPath) {
    throw new Error(
      `functions host: the package's main "${main}" does not exist in ${functionsDir}; build the functions first (for this repo: npm run build -w functions)`,
    );
  }
  if (!/^[a-z0-9-]+$/i.test(options.projectId)) {
    throw new Error(`functions host: projectId "${options.projectId}" is not a project id (letters, digits, dashes)`);
  }
  for (const [name, value] of [['databaseHost', options.databaseHost], ['authEmulatorHost', options.authEmulatorHost]] as const) {
    if (value !== undefined && !HOST_PORT.test(value)) {
      throw new Error(`functions host: ${name} "${value}" must be host:port, e.g. 127.0.0.1:9000`);
    }
  }
  const schedulesEnv = process.env[SCHEDULES_ENV];
  if (schedulesEnv !== undefined && schedulesEnv !== 'timer' && schedulesEnv !== 'manual') {
    throw new Error(`functions host: ${SCHEDULES_ENV}="${schedulesEnv}" must be "timer" or "manual"`);
  }
  const maxCascadeDepth = options.maxCascadeDepth ?? DEFAULTS.maxCascadeDepth;
  if (!Number.isInteger(maxCascadeDepth) || maxCascadeDepth < 1) {
    throw new Error(`functions host: maxCascadeDepth must be a positive integer, got ${maxCascadeDepth}`);
  }
  return Object.freeze({
    functionsDir,
    entryPath,
    watchDir: dirname(entryPath),
    projectId: options.projectId,
    databaseHost: options.databaseHost,
    authEmulatorHost: options.authEmulatorHost ?? null,
    defaultNamespace: options.defaultNamespace ?? `${options.projectId}-default-rtdb`,
    watch: options.watch ?? DEFAULTS.watch,
    runSchedulesOnTimer: options.runSchedulesOnTimer ?? (schedulesEnv ? schedulesEnv === 'timer' : DEFAULTS.runSchedulesOnTimer),
    maxCascadeDepth,
    logInvocations: options.logInvocations ?? true,
    log: options.log ?? DEFAULTS.log,
  });
}

/** Node's resolution of a package main: the file, or the file with .js, or a folder's index.js. */
function resolveEntry(path: string): string | null {
  for (const candidate of [path, `${path}.js`, resolve(path, 'index.js')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return null;
}

/**
 * The environment a deployed function sees, pointed at the local stack (docs/protocol.md §17,
 * firebase-tools functionsEmulator getSystemEnvs/getEmulatorEnvs), plus the package's
 * `.env` files. Re-read on every worker start, so a reload picks up edits.
 */
export function functionsEnv(config: HostConfig, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base, ...loadDotenvFiles(config.functionsDir, config.projectId) };
  delete env['NODE_OPTIONS']; // a test runner's loader hooks must not leak into user code
  const firebaseConfig = {
    projectId: config.projectId,
    databaseURL: `http://${config.databaseHost}/?ns=${config.defaultNamespace}`,
    storageBucket: `${config.projectId}.appspot.com`,
  };
  Object.assign(env, {
    FIREBASE_CONFIG: JSON.stringify(firebaseConfig),
    GCLOUD_PROJECT: config.projectId,
    GOOGLE_CLOUD_PROJECT: config.projectId,
    FIREBASE_DATABASE_EMULATOR_HOST: config.databaseHost,
    FUNCTIONS_EMULATOR: 'true',
    K_REVISION: '1',
    TZ: 'UTC',
  });
  // Without an explicit Auth emulator, an inherited FIREBASE_AUTH_EMULATOR_HOST stays: dropping
  // it would send the Admin SDK's auth calls to Google.
  if (config.authEmulatorHost) env['FIREBASE_AUTH_EMULATOR_HOST'] = config.authEmulatorHost;
  return env;
}
