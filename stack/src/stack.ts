// startStack(): the whole local system for people (`npm start`) and tests. Order of start: Auth
// (and Hosting) from firebase-tools, then our RTDB emulator with the rules and the functions host,
// then the demo owner, then the fleet. stop() goes the other way: fleet first (devices write
// offline), then the functions and the database, then Auth and Hosting.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { App } from 'firebase-admin/app';
import type { RunningEmulator } from '@firelink/emulator';
import { AdminAccess, type OwnerRequest, type ProvisionDeviceRequest, type ProvisionedDevice } from './admin.js';
import type { ServiceProcess } from './child.js';
import { stackConfig, type StackPorts } from './config.js';
import { startDatabase, type DatabaseService } from './database.js';
import { startFirebaseTools, type FirebaseToolsEmulators } from './firebase-tools.js';
import { STACK_FLEET_PREFIX, fleetDeviceIds, startFleet, type FleetOptions } from './fleet.js';
import { freePort } from './free-port.js';
import { functionsIdle } from './functions-calls.js';
import { dialHost } from './hosts.js';
import { eventually } from './eventually.js';
import { checkPorts, portHolder, processGroup, type PortClaim, type ServiceName } from './ports.js';
import { processGroupAlive } from './proc.js';
import { stackShards } from './shards.js';

/** The demo owner `npm start` creates: a real Auth account that owns the demo devices. */
export const DEMO_OWNER = Object.freeze({ email: 'owner@demo.firelink.local', password: 'firelink-demo', uid: 'demo-owner' });

export interface StackOptions {
  /** 'free' (default): free ports; 'default': firebase.json's; or per service (missing ones free). */
  ports?: 'free' | 'default' | Partial<StackPorts>;
  /** Bind address of every service (default 127.0.0.1; 0.0.0.0 for devices on the LAN). */
  host?: string;
  /** 'child' (default): each service its own process; 'in-process': the RTDB emulator in this one. */
  processes?: 'child' | 'in-process';
  /** Host the compiled functions (functions/lib) in the RTDB emulator (default true). */
  functions?: boolean;
  /** Start the Auth emulator (default true; false for database-only tests with mock tokens). */
  auth?: boolean;
  /** Serve web/dist with the Hosting emulator (default false). */
  hosting?: boolean;
  /** Create the demo owner account (default false). */
  demoOwner?: boolean;
  /** Simulated devices; `{ count: 0 }` or false for none. With shards, spread across them. */
  fleet?: FleetOptions | false;
  /**
   * Database instances (default 1): `<project>-default-rtdb` plus `<project>-shard-1`... as
   * namespaces of the one emulator; the functions' jobs visit all (FIRELINK_DATABASE_URLS).
   */
  shards?: number;
  /**
   * Variables for the functions (params such as FIRELINK_LOG_MAPPED_READINGS), set in the
   * database process's environment; the functions' own `.env` files still win
   * (emulator/src/functions/config.ts `functionsEnv`).
   */
  functionsEnv?: Readonly<Record<string, string>>;
  /** Durable data folder (database + Auth accounts), undefined = memory only. */
  dataDir?: string;
  strictTokens?: boolean;
  tokenMaxAgeSeconds?: number;
  /**
   * A database log line per successful function invocation (default true, what tests read).
   * npm start turns it off unless --verbose: quiet mode would drop the lines anyway, and at 1,000
   * readings/s writing and filtering them cost a few percent of two processes' CPU.
   */
  logInvocations?: boolean;
  /** How to choose another port, per service, for the busy-port message (npm start: its flags). */
  portHints?: Partial<Record<ServiceName, string>>;
  /** Every log line of every service, prefixed `[service]`. */
  log?: (line: string) => void;
  /** Called as each step begins: 'auth', 'database', 'demo owner', 'fleet'. */
  progress?: (step: string) => void;
  /** Called when a service's process ends while the stack is not stopping (it crashed). */
  onServiceExit?: (service: ServiceInfo['name'], how: string, recentOutput: string) => void;
}

export interface ServiceInfo {
  name: 'auth' | 'database' | 'fleet';
  pid: number | undefined;
  running: boolean;
}

export interface Stack {
  readonly projectId: string;
  /** The default instance's namespace (the directory, the ownership index). */
  readonly namespace: string;
  /** Every instance, the default first; one entry without shards. */
  readonly shards: readonly string[];
  /** A client URL of an instance (`http://host:port/?ns=<instance>`). */
  shardUrl(instance: string): string;
  readonly host: string;
  readonly ports: Readonly<StackPorts>;
  /** `host:port` as clients dial them (FIREBASE_*_EMULATOR_HOST values). */
  readonly hosts: { database: string; auth: string };
  readonly urls: {
    database: string;
    auth: string;
    /** The database as JSON in a browser (admin read through the emulator's `auth=owner`). */
    databaseJson: string;
    hosting?: string;
    dashboard?: string;
  };
  /** The running emulator object (processes: 'in-process' only; restartDatabase() replaces it). */
  readonly emulator: RunningEmulator | null;
  readonly demoOwner: { email: string; password: string; uid: string } | null;
  /** Ids of the fleet's devices (empty without a fleet). */
  readonly fleetDeviceIds: readonly string[];
  adminApp(): App;
  createOwner(request: OwnerRequest): Promise<{ uid: string }>;
  provisionDevice(request: ProvisionDeviceRequest): Promise<ProvisionedDevice>;
  /** Waits until every queued trigger has run. */
  functionsIdle(timeoutMs?: number): Promise<void>;
  /** Stops and starts the RTDB emulator (and functions host) on the same port; data is kept. */
  restartDatabase(): Promise<void>;
  /**
   * Ends the database service (processes: 'child') with `signal`, and its whole process group
   * (the functions worker) once it exited; restartDatabase() starts it again on the same port.
   * SIGKILL is a crash: what the data folder keeps is what the emulator promises on kill -9.
   */
  killDatabase(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Stops only the fleet (each device writes status offline); stop() does it first anyway. */
  stopFleet(): Promise<void>;
  /** The child processes this stack started, for checks that none is left. */
  services(): ServiceInfo[];
  stop(): Promise<void>;
}

/**
 * The service answering on `port` must be the child we started (and not, say, a program that took
 * the port in the meantime): the listening process belongs to the child's process group.
 */
function assertOwnPort(service: ServiceName, port: number, child: ServiceProcess | null): void {
  if (child === null || child.pid === undefined) return;
  const holder = portHolder(port);
  if (holder === null) return; // the OS does not say (not Linux): the readiness check has to do
  if (holder.pid !== child.pid && processGroup(holder.pid) !== child.pid) {
    throw new Error(`port ${port}: the ${service} emulator answered, but from pid ${holder.pid} (${holder.command}), not from the process this stack started`);
  }
}

async function choosePorts(option: StackOptions['ports'], host: string): Promise<StackPorts> {
  const defaults = stackConfig().ports;
  if (option === 'default') return { ...defaults };
  const given = option === undefined || option === 'free' ? {} : option;
  return {
    database: given.database ?? (await freePort(host)),
    auth: given.auth ?? (await freePort(host)),
    hosting: given.hosting ?? (await freePort(host)),
  };
}

/**
 * Locally the scheduled jobs share a laptop's cores with the database, and the five of them start
 * together on every tick: at the production default (16 devices at a time each) their queries
 * queue ahead of the devices' writes for over a second with 1,000 devices (`npm run bench -w
 * stack`). Two at a time unless the environment says otherwise (functions/.env still wins).
 */
export const LOCAL_JOB_CONCURRENCY = '2';
function localJobConcurrency(): Record<string, string> {
  return process.env.FIRELINK_JOB_CONCURRENCY === undefined ? { FIRELINK_JOB_CONCURRENCY: LOCAL_JOB_CONCURRENCY } : {};
}

/**
 * Likewise each job's device visits start over 40 s of the minute instead of all on the tick
 * (functions/src/fleet.ts `forEachDevice`; at most 50 ms apart, so a test's few devices stay quick).
 */
export const LOCAL_JOB_SPREAD_SECONDS = '40';
function localJobSpread(): Record<string, string> {
  return process.env.FIRELINK_JOB_SPREAD_SECONDS === undefined ? { FIRELINK_JOB_SPREAD_SECONDS: LOCAL_JOB_SPREAD_SECONDS } : {};
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const config = stackConfig();
  const shards = stackShards(config.projectId, options.shards ?? 1);
  let restoreEnv = (): void => {};
  const host = options.host ?? '127.0.0.1';
  const probe = host === '0.0.0.0' ? '127.0.0.1' : host;
  const ports = await choosePorts(options.ports, probe);
  const log = options.log ?? (() => {});
  if (options.ports !== undefined && options.ports !== 'free') {
    const wanted: Array<[ServiceName, boolean]> = [['auth', options.auth !== false], ['database', true], ['hosting', options.hosting === true]];
    const hint = (service: ServiceName) => options.portHints?.[service] ?? `startStack's ports option ({ ${service}: N })`;
    const given = options.ports === 'default' ? ports : options.ports;
    const claims: PortClaim[] = wanted
      .filter(([service, on]) => on && given[service] !== undefined)
      .map(([service]) => ({ service, port: ports[service], hint: hint(service) }));
    await checkPorts(claims, host);
  }
  const tagged = (name: string) => (line: string) => log(`[${name}] ${line}`);
  const hosts = { database: `${dialHost(host)}:${ports.database}`, auth: `${dialHost(host)}:${ports.auth}` };
  // This process's SDKs (admin app, tests' clients) find the emulators through these.
  process.env.FIREBASE_DATABASE_EMULATOR_HOST = hosts.database;
  process.env.FIREBASE_AUTH_EMULATOR_HOST = hosts.auth;
  process.env.GCLOUD_PROJECT = config.projectId;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CI: 'true',
    GCLOUD_PROJECT: config.projectId,
    FIREBASE_DATABASE_EMULATOR_HOST: hosts.database,
    FIREBASE_AUTH_EMULATOR_HOST: hosts.auth,
  };
  const functionsVars: Record<string, string> = { ...localJobConcurrency(), ...localJobSpread(), ...options.functionsEnv };
  if (shards.length > 1) {
    // The jobs' shard list, in the production URL form the Admin SDK sends to the emulator host
    // (its first label is the namespace); FIRELINK_SHARDS for provisioning in child processes.
    functionsVars.FIRELINK_DATABASE_URLS = shards.map((ns) => `https://${ns}.firebaseio.com`).join(',');
    env.FIRELINK_SHARDS = shards.join(',');
  }
  Object.assign(env, functionsVars);
  // In-process, the functions host inherits this process's environment (restored by stop()).
  if (options.processes === 'in-process' && Object.keys(functionsVars).length > 0) {
    const before = Object.fromEntries(Object.keys(functionsVars).map((name) => [name, process.env[name]]));
    Object.assign(process.env, functionsVars);
    restoreEnv = () => {
      for (const [name, value] of Object.entries(before)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    };
  }
  const hostingWanted = options.hosting === true;
  if (hostingWanted && !existsSync(join(config.hostingPublic, 'index.html'))) {
    throw new Error(`startStack: hosting needs the dashboard built (${join(config.hostingPublic, 'index.html')} is missing): run npm run build -w web`);
  }

  let tools: FirebaseToolsEmulators | null = null;
  let database: DatabaseService | null = null;
  const fleets: Array<{ process: ServiceProcess; deviceIds: string[] }> = [];
  const admin = new AdminAccess({
    projectId: config.projectId,
    namespace: config.namespace,
    shards,
    databaseHostPort: () => hosts.database,
    functionsDir: config.functionsDir,
  });
  // Without a dataDir the data still goes to a private folder for this stack's life (removed by
  // stop()): restartDatabase() then loses nothing (emulator/README.md, --data-dir).
  const scratchDataDir = options.dataDir === undefined ? mkdtempSync(join(tmpdir(), 'firelink-db-')) : undefined;
  const databaseOptions = {
    mode: options.processes ?? 'child',
    host,
    port: ports.database,
    projectId: config.projectId,
    namespace: config.namespace,
    rulesFile: config.rulesFile,
    functionsDir: options.functions === false ? null : config.functionsDir,
    authEmulatorHost: hosts.auth,
    dataDir: options.dataDir === undefined ? scratchDataDir : join(options.dataDir, 'database'),
    ...(options.strictTokens ? { strictTokens: true } : {}),
    ...(options.tokenMaxAgeSeconds !== undefined ? { tokenMaxAgeSeconds: options.tokenMaxAgeSeconds } : {}),
    ...(options.logInvocations === false ? { logInvocations: false } : {}),
    env,
    log: tagged('database'),
  } as const;

  /**
   * The fleet's devices, provisioned one by one so each goes to the least-loaded shard, with a
   * password this stack knows; an existing device (a kept data folder) gets a new one. The entries
   * are what device-sim's credentials file takes, with provisioning's URLs (the shard, the directory).
   */
  const provisionAcrossShards = async (ids: readonly string[], owner: string) => {
    const entries: Array<{ deviceId: string; email: string; password: string; databaseUrl: string; directoryUrl: string }> = [];
    for (const deviceId of ids) {
      const password = randomBytes(12).toString('base64url');
      const made = await admin.provisionDevice({ deviceId, owner, password }).catch((error: { code?: string }) => {
        if (error.code !== 'already-exists') throw error;
        return admin.provisionDevice({ deviceId, owner, password, rotate: true });
      });
      entries.push({ deviceId, email: made.email, password, databaseUrl: made.databaseUrl, directoryUrl: made.directoryUrl });
    }
    return entries;
  };

  let stopped = false;
  let fleetStopped = false;
  const watchExit = (name: ServiceInfo['name'], child: ServiceProcess): void => {
    void child.exited.then(({ code, signal }) => {
      const expected = stopped || (name === 'fleet' && fleetStopped) || restarting || (name === 'database' && databaseKilled);
      if (!expected) options.onServiceExit?.(name, signal ?? `exit code ${code}`, child.recentOutput());
    });
  };
  let restarting = false;
  let databaseKilled = false;
  const killDatabase = async (signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }> => {
    const child = database?.process;
    if (!child) throw new Error(`killDatabase: ${database === null ? 'the database is not running' : "only a child-process database (processes: 'child') can be killed"}`);
    databaseKilled = true;
    // A short grace: the group gets SIGKILL right after the main process is gone (child.ts); wait
    // until the kernel has removed all of it, so a caller can check that nothing is left.
    const exit = await child.stop(signal, 1_000);
    if (child.pid !== undefined) await eventually(`the database's process group ${child.pid} to be gone`, () => !processGroupAlive(child.pid!), 5_000);
    return exit;
  };
  const stopFleet = async (): Promise<void> => {
    if (fleets.length === 0 || fleetStopped) return;
    fleetStopped = true;
    // SIGTERM: device-sim aborts its run, each device writes status offline, then it exits.
    await Promise.all(fleets.map((f) => f.process.stop('SIGTERM', 15_000)));
  };
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    const problems: string[] = [];
    const attempt = async (what: string, fn: () => Promise<unknown>): Promise<void> => {
      try {
        await fn();
      } catch (error) {
        problems.push(`${what}: ${(error as Error).message}`);
      }
    };
    await attempt('fleet', stopFleet);
    await attempt('admin app', () => admin.close());
    if (database !== null) await attempt('database', () => database!.stop());
    if (tools !== null) await attempt('auth', () => tools!.stop());
    if (scratchDataDir !== undefined) rmSync(scratchDataDir, { recursive: true, force: true });
    restoreEnv();
    if (problems.length > 0) throw new Error(`stopping the stack: ${problems.join('; ')}`);
  };

  try {
    const progress = options.progress ?? (() => {});
    if (options.auth !== false) {
      progress(hostingWanted ? 'auth and hosting' : 'auth');
      tools = await startFirebaseTools({
        projectId: config.projectId,
        host,
        authPort: ports.auth,
        hosting: hostingWanted ? { port: ports.hosting, publicDir: config.hostingPublic } : undefined,
        authDataDir: options.dataDir === undefined ? undefined : join(options.dataDir, 'auth'),
        env,
        onLine: tagged('auth'),
      });
      assertOwnPort('auth', ports.auth, tools.process);
      watchExit('auth', tools.process);
      if (hostingWanted) assertOwnPort('hosting', ports.hosting, tools.process);
    }
    progress('database');
    database = await startDatabase(databaseOptions);
    assertOwnPort('database', ports.database, database.process);
    if (database.process) watchExit('database', database.process);
    if (options.demoOwner) progress('demo owner');
    const demoOwner = options.demoOwner ? { ...DEMO_OWNER, uid: (await admin.createOwner(DEMO_OWNER)).uid } : null;
    if (options.fleet && options.fleet.count > 0) {
      if (options.auth === false) throw new Error('startStack: a fleet signs in with Auth accounts; it needs auth: true');
      const fleetOptions = options.fleet;
      const common = {
        owner: demoOwner?.uid ?? DEMO_OWNER.uid,
        projectId: config.projectId,
        databaseHostPort: hosts.database,
        authHostPort: hosts.auth,
        env,
        root: config.root,
        cwd: options.dataDir ?? tmpdir(),
      };
      if (shards.length === 1) {
        fleets.push(startFleet({ ...common, fleet: fleetOptions, onLine: tagged('fleet') }));
      } else {
        progress('provisioning the fleet across shards');
        const owner = fleetOptions.owner ?? common.owner;
        // Provisioned here, one after another, rather than by device-sim's fleet with
        // FIRELINK_SHARDS: the fleet provisions 8 devices at once, each reading the shard loads
        // before the others write their directory entries, so its spread would be uneven.
        const entries = await provisionAcrossShards(fleetDeviceIds(fleetOptions.prefix ?? STACK_FLEET_PREFIX, fleetOptions.count), owner);
        const file = join(options.dataDir ?? scratchDataDir!, 'fleet-credentials.json');
        writeFileSync(file, JSON.stringify(entries), { mode: 0o600 });
        // One fleet for every shard: each device connects to its credentials' databaseUrl, reads
        // its directory entry at directoryUrl at boot and follows a `reconnect` command.
        fleets.push(startFleet({
          ...common,
          fleet: { ...fleetOptions, owner, args: [...(fleetOptions.args ?? []), '--provision', 'never', '--credentials-file', file] },
          onLine: tagged('fleet'),
        }));
      }
      progress('fleet');
      for (const f of fleets) watchExit('fleet', f.process);
    }
    const dial = dialHost(host);
    const urls: Stack['urls'] = {
      database: `http://${hosts.database}`,
      auth: `http://${hosts.auth}`,
      databaseJson: `http://${hosts.database}/.json?ns=${config.namespace}&auth=owner&print=pretty`,
      ...(hostingWanted ? { hosting: `http://${dial}:${ports.hosting}`, dashboard: `http://${dial}:${ports.hosting}/` } : {}),
    };
    const stack: Stack = {
      projectId: config.projectId,
      namespace: config.namespace,
      shards,
      shardUrl: (instance) => {
        if (!shards.includes(instance)) throw new Error(`shardUrl: ${instance} is not one of this stack's instances (${shards.join(', ')})`);
        return `http://${hosts.database}/?ns=${instance}`;
      },
      host,
      ports,
      hosts,
      urls,
      get emulator() {
        return database?.emulator ?? null;
      },
      demoOwner,
      fleetDeviceIds: fleets.flatMap((f) => f.deviceIds).sort(),
      adminApp: () => admin.adminApp(),
      createOwner: (request) => admin.createOwner(request),
      provisionDevice: (request) => admin.provisionDevice(request),
      functionsIdle: (timeoutMs) => functionsIdle(urls.database, timeoutMs),
      async restartDatabase() {
        if (database === null) throw new Error('restartDatabase: the database is not running');
        // The database always runs with a data folder (a private temp one without dataDir), so a
        // restart restores every acknowledged write and replays the function events still pending.
        try {
          restarting = true;
          await database.stop();
          database = null;
          database = await startDatabase(databaseOptions);
          assertOwnPort('database', ports.database, database.process);
          if (database.process) watchExit('database', database.process);
          databaseKilled = false;
        } finally {
          restarting = false;
        }
      },
      killDatabase: (signal = 'SIGKILL') => killDatabase(signal),
      stopFleet,
      services() {
        const list: ServiceInfo[] = [];
        if (tools !== null) list.push({ name: 'auth', pid: tools.process.pid, running: tools.process.running() });
        if (database?.process) list.push({ name: 'database', pid: database.process.pid, running: database.process.running() });
        for (const f of fleets) list.push({ name: 'fleet', pid: f.process.pid, running: f.process.running() });
        return list;
      },
      stop,
    };
    return stack;
  } catch (error) {
    await stop().catch(() => {});
    throw error;
  }
}
