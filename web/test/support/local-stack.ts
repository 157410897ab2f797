// The ONE place the web tests get the local system from: @firelink/stack with child processes
// (the Auth and Hosting emulators of firebase-tools, serving web/dist; our RTDB emulator with the
// rules and, unless turned off, the functions host), plus device-sim devices for the tests.
import '@firelink/stack/env';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getDatabase, type Database } from 'firebase-admin/database';
import { startStack, type Stack } from '@firelink/stack';
import { rootDir, webDir } from './build.js';
import { serveDist, type StaticSite } from './static-server.js';

export const DEMO_OWNER = { email: 'owner@demo.firelink.local', password: 'firelink-demo' } as const;

export interface LocalStack {
  stack: Stack;
  hosts: { database: string; auth: string };
  /** The dashboard with the emulator hosts in its query string (the stack's ports are free ones). */
  dashboardUrl: string;
  /** Where web/dist is served (the Hosting emulator, or the fallback static server), no query string. */
  siteUrl: string;
  /** Admin access to the database. */
  db: Database;
  demoOwnerUid: string;
  createOwner(email: string, password: string): Promise<{ uid: string }>;
  provisionDevice(deviceId: string, ownerUid: string, zone?: string): Promise<{ email: string; password: string }>;
  /** Runs `device-sim run` for one device (REST, like the firmware) until stopped. */
  runDevice(deviceId: string, credentials: { email: string; password: string }): { stop(): Promise<void>; output: string[] };
  stop(): Promise<void>;
}

export async function startLocalStack(options: { functions?: boolean } = {}): Promise<LocalStack> {
  const stack = await startStack({ ports: 'free', processes: 'child', functions: options.functions ?? true, hosting: true, demoOwner: true });
  // The Hosting emulator serves web/dist when it answers the dashboard at `/`; otherwise (seen
  // with firebase-tools given an absolute `hosting.public` outside its config folder: every path
  // 404s) the test's own static server serves it, with the same rewrites and init.json.
  let site: StaticSite | undefined;
  let siteUrl = stack.urls.hosting!;
  const probe = await fetch(`${siteUrl}/`).catch(() => undefined);
  if (!probe?.ok || !(await probe.text()).includes('id="app"')) {
    site = await serveDist(join(webDir, 'dist'), stack.projectId);
    siteUrl = site.url;
    console.warn(`NOTE web tests: the Hosting emulator at ${stack.urls.hosting} did not serve web/dist (HTTP ${probe?.status ?? 'no answer'}); serving it from ${siteUrl} (test/support/static-server.ts) instead`);
  }
  const db = getDatabase(stack.adminApp());
  const work = mkdtempSync(join(tmpdir(), 'firelink-web-'));
  const devices: ChildProcess[] = [];
  const env = { ...process.env, CI: 'true', GCLOUD_PROJECT: stack.projectId, FIREBASE_DATABASE_EMULATOR_HOST: stack.hosts.database, FIREBASE_AUTH_EMULATOR_HOST: stack.hosts.auth };

  return {
    stack,
    hosts: stack.hosts,
    dashboardUrl: `${siteUrl}/?auth-emulator=${stack.hosts.auth}&database-emulator=${stack.hosts.database}`,
    siteUrl,
    db,
    demoOwnerUid: stack.demoOwner!.uid,
    createOwner: (email, password) => stack.createOwner({ email, password }),
    async provisionDevice(deviceId, ownerUid, zone) {
      const c = await stack.provisionDevice({ deviceId, owner: ownerUid, ...(zone ? { zone } : {}) });
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
    async stop() {
      for (const child of devices) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await site?.stop();
      await stack.stop();
      rmSync(work, { recursive: true, force: true });
    },
  };
}
