// Real SDK clients against the test emulator: an Admin SDK database (what functions use) and
// client SDK databases signed in as a device (mock ID token with the `device` claim) or an owner.
import { randomBytes } from 'node:crypto';
import { deleteApp as deleteAdminApp, initializeApp as initializeAdminApp } from 'firebase-admin/app';
import { getDatabase as getAdminDatabase, type Database as AdminDatabase } from 'firebase-admin/database';
import { deleteApp, initializeApp, setLogLevel } from 'firebase/app';
import { connectDatabaseEmulator, getDatabase, goOffline, type Database } from 'firebase/database';
import type { CommittedWrite, RunningEmulator } from '@firelink/emulator';
import { FUNCTIONS_CLAIM } from '../../src/writer.js';
import { afterAll, beforeAll } from 'vitest';
import { NAMESPACE, PROJECT_ID, startTestEmulator, type TestEmulator } from './emulator.js';

// Denied writes are expected in some tests; the SDK would warn about each.
setLogLevel('error');

export interface Clients {
  admin: AdminDatabase;
  device(deviceId: string): Database;
  owner(uid: string): Database;
  close(): Promise<void>;
}

export function connectClients(emulator: RunningEmulator): Clients {
  const tag = randomBytes(4).toString('hex');
  const adminApp = initializeAdminApp(
    { projectId: PROJECT_ID, databaseURL: `http://${emulator.hostPort}?ns=${NAMESPACE}` },
    `admin-${tag}`,
  );
  const apps: ReturnType<typeof initializeApp>[] = [];
  const dbs: Database[] = [];
  const client = (name: string, token: { sub: string } & Record<string, unknown>): Database => {
    const app = initializeApp(
      { projectId: PROJECT_ID, apiKey: 'demo-key', databaseURL: `https://${NAMESPACE}.firebaseio.com` },
      `${name}-${tag}-${apps.length}`,
    );
    const db = getDatabase(app);
    connectDatabaseEmulator(db, emulator.host, emulator.port, { mockUserToken: { user_id: token.sub, ...token } });
    apps.push(app);
    dbs.push(db);
    return db;
  };
  return {
    admin: getAdminDatabase(adminApp),
    device: (deviceId) => client(`device-${deviceId}`, { sub: `device-${deviceId}`, device: deviceId }),
    owner: (uid) => client(`owner-${uid}`, { sub: uid }),
    close: async () => {
      for (const db of dbs) goOffline(db);
      await Promise.all(apps.map((app) => deleteApp(app)));
      await deleteAdminApp(adminApp);
    },
  };
}

/** Full admin, or the rules-guarded functions identity (src/writer.ts). */
function isFunctionWrite(identity: CommittedWrite['identity']): boolean {
  if (identity.kind === 'admin') return true;
  return identity.kind === 'user' && identity.auth.token?.[FUNCTIONS_CLAIM] === true;
}

/** Counts the committed writes made by functions (admin or the guarded identity), per path prefix. */
export class FunctionWrites {
  readonly writes: string[][] = [];
  private readonly unsubscribe: () => void;

  constructor(emulator: RunningEmulator) {
    this.unsubscribe = emulator.commits.onCommit((write) => {
      if (isFunctionWrite(write.identity) && write.namespace === NAMESPACE) {
        this.writes.push(write.paths.map((p) => p.join('/')));
      }
    });
  }

  /** Function writes with at least one path under `prefix`. */
  touching(prefix: string): string[][] {
    return this.writes.filter((paths) => paths.some((p) => p === prefix || p.startsWith(`${prefix}/`)));
  }

  stop(): void {
    this.unsubscribe();
  }
}

export interface FunctionsFixture {
  /** Valid inside tests and hooks (set up in `beforeAll`). */
  readonly t: TestEmulator;
  readonly c: Clients;
  /** The value at `path`, read with the Admin SDK. */
  val(path: string): Promise<any>;
}

/**
 * The emulator with the compiled functions and clients on it, for one test file; with
 * `functions: false` the database alone (tests that call a job's module directly).
 */
export function useFunctionsEmulator(options: { functions?: boolean } = {}): FunctionsFixture {
  let t: TestEmulator | undefined;
  let c: Clients | undefined;
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the functions emulator is used before beforeAll started it');
    return value;
  };
  beforeAll(async () => {
    t = await startTestEmulator({ functions: options.functions ?? true });
    c = connectClients(t.emulator);
  });
  afterAll(async () => {
    await c?.close();
    await t?.stop();
  });
  const fixture: FunctionsFixture = {
    get t() {
      return started(t);
    },
    get c() {
      return started(c);
    },
    val: async (path) => (await fixture.c.admin.ref(path).get()).val(),
  };
  return fixture;
}
