// startStack(): the whole local system for people (`npm start`) and tests. Order of start: Auth
// (and Hosting) from firebase-tools, then our RTDB emulator with the rules and the functions host,
// then the demo owner, then the fleet. stop() goes the other way: fleet first (devices write
// offline), then the functions and the database, then Auth and Hosting.
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
import { startFleet, type FleetOptions } from './fleet.js';
import { freePort } from './free-port.js';
import { functionsIdle } from './functions-calls.js';
import { dialHost } from './hosts.js';

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
  /** Simulated devices; `{ count: 0 }` or false for none. */
  fleet?: FleetOptions | false;
  /** Durable data folder (database + Auth accounts), undefined = memory only. */
  dataDir?: string;
  strictTokens?: boolean;
  tokenMaxAgeSeconds?: number;
  /** Every log line of every service, prefixed `[service]`. */
  log?: (line: string) => void;
}

export interface ServiceInfo {
  name: 'auth' | 'database' | 'fleet';
  pid: number | undefined;
  running: boolean;
}

export interface Stack {
  readonly projectId: string;
  readonly namespace: string;
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
  /** The child processes this stack started, for checks that none is left. */
  services(): ServiceInfo[];
  stop(): Promise<void>;
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

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const config = stackConfig();
  const host = options.host ?? '127.0.0.1';
  const probe = host === '0.0.0.0' ? '127.0.0.1' : host;
  const ports = await choosePorts(options.ports, probe);
  const log = options.log ?? (() => {});
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
  const hostingWanted = options.hosting === true;
  if (hostingWanted && !existsSync(join(config.hostingPublic, 'index.html'))) {
    throw new Error(`startStack: hosting needs the dashboard built (${join(config.hostingPublic, 'index.html')} is missing): run npm run build -w web`);
  }

  let tools: FirebaseToolsEmulators | null = null;
  let database: DatabaseService | null = null;
  let fleet: { process: ServiceProcess; deviceIds: string[] } | null = null;
  const admin = new AdminAccess({
    projectId: config.projectId,
    namespace: config.namespace,
    databaseHostPort: () => hosts.database,
    functionsDir: config.functionsDir,
  });
  const databaseOptions = {
    mode: options.processes ?? 'child',
    host,
    port: ports.database,
    projectId: config.projectId,
    namespace: config.namespace,
    rulesFile: config.rulesFile,
    functionsDir: options.functions === false ? null : config.functionsDir,
    authEmulatorHost: hosts.auth,
    dataDir: options.dataDir === undefined ? undefined : join(options.dataDir, 'database'),
    ...(options.strictTokens ? { strictTokens: true } : {}),
    ...(options.tokenMaxAgeSeconds !== undefined ? { tokenMaxAgeSeconds: options.tokenMaxAgeSeconds } : {}),
    env,
    log: tagged('database'),
  } as const;

  let stopped = false;
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
    // SIGTERM: device-sim aborts its run, each device writes status offline, then it exits.
    if (fleet !== null) await attempt('fleet', () => fleet!.process.stop('SIGTERM', 15_000));
    await attempt('admin app', () => admin.close());
    if (database !== null) await attempt('database', () => database!.stop());
    if (tools !== null) await attempt('auth', () => tools!.stop());
    if (problems.length > 0) throw new Error(`stopping the stack: ${problems.join('; ')}`);
  };

  try {
    if (options.auth !== false) {
      tools = await startFirebaseTools({
        projectId: config.projectId,
        host,
        authPort: ports.auth,
        hosting: hostingWanted ? { port: ports.hosting, publicDir: config.hostingPublic } : undefined,
        authDataDir: options.dataDir === undefined ? undefined : join(options.dataDir, 'auth'),
        env,
        onLine: tagged('auth'),
      });
    }
    database = await startDatabase(databaseOptions);
    const demoOwner = options.demoOwner ? { ...DEMO_OWNER, uid: (await admin.createOwner(DEMO_OWNER)).uid } : null;
    if (options.fleet && options.fleet.count > 0) {
      if (options.auth === false) throw new Error('startStack: a fleet signs in with Auth accounts; it needs auth: true');
      fleet = startFleet({
        fleet: options.fleet,
        owner: demoOwner?.uid ?? DEMO_OWNER.uid,
        projectId: config.projectId,
        databaseHostPort: hosts.database,
        authHostPort: hosts.auth,
        env,
        root: config.root,
        cwd: options.dataDir ?? tmpdir(),
        onLine: tagged('fleet'),
      });
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
      host,
      ports,
      hosts,
      urls,
      get emulator() {
        return database?.emulator ?? null;
      },
      demoOwner,
      fleetDeviceIds: fleet?.deviceIds ?? [],
      adminApp: () => admin.adminApp(),
      createOwner: (request) => admin.createOwner(request),
      provisionDevice: (request) => admin.provisionDevice(request),
      functionsIdle: (timeoutMs) => functionsIdle(urls.database, timeoutMs),
      async restartDatabase() {
        if (database === null) throw new Error('restartDatabase: the database is not running');
        const scratch = options.dataDir === undefined ? mkdtempSync(join(tmpdir(), 'firelink-db-restart-')) : null;
        try {
          let importFile: string | undefined;
          if (scratch !== null) {
            // Memory only: carry the data over through an export (emulator/README.md, format=export).
            const res = await fetch(`${urls.database}/.json?ns=${config.namespace}&format=export`, { headers: { authorization: 'Bearer owner' } });
            if (!res.ok) throw new Error(`restartDatabase: export failed: HTTP ${res.status}`);
            importFile = join(scratch, 'data.json');
            writeFileSync(importFile, await res.text());
          }
          await database.stop();
          database = null;
          database = await startDatabase({ ...databaseOptions, ...(importFile !== undefined ? { importFile } : {}) });
        } finally {
          if (scratch !== null) rmSync(scratch, { recursive: true, force: true });
        }
      },
      services() {
        const list: ServiceInfo[] = [];
        if (tools !== null) list.push({ name: 'auth', pid: tools.process.pid, running: tools.process.running() });
        if (database?.process) list.push({ name: 'database', pid: database.process.pid, running: database.process.running() });
        if (fleet !== null) list.push({ name: 'fleet', pid: fleet.process.pid, running: fleet.process.running() });
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
