// The ONE place the web tests get the local system from. Until the `stack` workspace lands on
// main this wraps functions/test/support (our RTDB emulator in-process with the functions host,
// and the firebase-tools Auth emulator on free ports); switching to startStack() is a change of
// this file only.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deleteApp, initializeApp, type App } from 'firebase-admin/app';
import { getAuth } from 'firebase-admin/auth';
import { getDatabase, type Database } from 'firebase-admin/database';
import { startAuthEmulator } from '../../../functions/test/support/auth-emulator.js';
import { NAMESPACE, PROJECT_ID, startTestEmulator } from '../../../functions/test/support/emulator.js';
import { provisionDevice } from '../../../functions/src/provisioning/provision.js';
import { rootDir, webDir } from './build.js';
import { serveDist } from './static-server.js';

export const DEMO_OWNER = { email: 'owner@demo.firelink.local', password: 'firelink-demo' } as const;

export interface LocalStack {
  projectId: string;
  hosts: { database: string; auth: string };
  /** The dashboard, with the emulator hosts in its query string. */
  dashboardUrl: string;
  /** Where web/dist is served (no query string). */
  siteUrl: string;
  db: Database;
  createOwner(email: string, password: string): Promise<{ uid: string }>;
  provisionDevice(deviceId: string, ownerUid: string, zone?: string): Promise<{ email: string; password: string }>;
  /** Runs `device-sim run` for one device (REST, like the firmware) until stopped. */
  runDevice(deviceId: string, credentials: { email: string; password: string }): { stop(): Promise<void>; output: string[] };
  functionsIdle(): Promise<void>;
  stop(): Promise<void>;
}

export async function startLocalStack(options: { functions?: boolean } = {}): Promise<LocalStack> {
  const auth = await startAuthEmulator({ projectId: PROJECT_ID });
  process.env.FIREBASE_AUTH_EMULATOR_HOST = auth.hostAndPort;
  const emulator = await startTestEmulator({ functions: options.functions ?? true, authEmulatorHost: auth.hostAndPort });
  const database = emulator.emulator.hostPort;
  const site = await serveDist(join(webDir, 'dist'), PROJECT_ID);
  const app: App = initializeApp({ projectId: PROJECT_ID, databaseURL: `http://${database}?ns=${NAMESPACE}` }, `web-e2e-${Date.now()}`);
  const adminAuth = getAuth(app);
  const db = getDatabase(app);
  const work = mkdtempSync(join(tmpdir(), 'firelink-web-'));
  const devices: ChildProcess[] = [];
  const env = { ...process.env, CI: 'true', GCLOUD_PROJECT: PROJECT_ID, FIREBASE_DATABASE_EMULATOR_HOST: database, FIREBASE_AUTH_EMULATOR_HOST: auth.hostAndPort };

  return {
    projectId: PROJECT_ID,
    hosts: { database, auth: auth.hostAndPort },
    dashboardUrl: `${site.url}/?auth-emulator=${auth.hostAndPort}&database-emulator=${database}`,
    siteUrl: site.url,
    db,
    async createOwner(email, password) {
      const user = await adminAuth.createUser({ email, password, emailVerified: true });
      return { uid: user.uid };
    },
    async provisionDevice(deviceId, ownerUid, zone) {
      const c = await provisionDevice({ auth: adminAuth, db }, { deviceId, ownerUid, ...(zone ? { zone } : {}) });
      return { email: c.email, password: c.password };
    },
    runDevice(deviceId, credentials) {
      const output: string[] = [];
      const child = spawn(
        process.execPath,
        [join(rootDir, 'device-sim', 'dist', 'cli.js'), 'run', '--device', deviceId, '--email', credentials.email, '--password', credentials.password,
          '--view', 'none', '--queue-file', join(work, `${deviceId}.queue.json`), '--log-level', 'warn'],
        { env, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      const keep = (chunk: Buffer): void => {
        output.push(chunk.toString());
        if (output.length > 100) output.shift();
      };
      child.stdout?.on('data', keep);
      child.stderr?.on('data', keep);
      devices.push(child);
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      return {
        output,
        async stop() {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
          await exited;
          clearTimeout(timer);
        },
      };
    },
    async functionsIdle() {
      const res = await fetch(`${emulator.emulator.url}/.functions/idle?timeoutMs=20000`, { method: 'POST' });
      if (!res.ok) throw new Error(`functions idle: HTTP ${res.status}`);
    },
    async stop() {
      for (const child of devices) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await site.stop();
      await deleteApp(app);
      await emulator.stop();
      await auth.stop();
      rmSync(work, { recursive: true, force: true });
    },
  };
}
