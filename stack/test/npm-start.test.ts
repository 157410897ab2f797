// `npm start` end to end, on free ports and a private data folder: the banner, the demo owner's
// login, the demo devices' readings mapped, Ctrl-C stops everything in order (devices offline, no
// process left, no warning printed).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { deleteApp, initializeApp } from 'firebase/app';
import { connectAuthEmulator, getAuth, signInWithEmailAndPassword } from 'firebase/auth';
import { connectDatabaseEmulator, get, getDatabase, goOffline, ref } from 'firebase/database';
import { eventually, freePort, portHolder } from '../src/index.js';
import { npmStart, processesMentioning, type NpmStart } from './support/npm-start.js';

const dataDir = mkdtempSync(join(tmpdir(), 'npm-start-e2e-'));
let run: NpmStart | undefined;

afterAll(async () => {
  if (run !== undefined) {
    run.interrupt();
    await run.exited;
  }
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm start', () => {
  it('comes up with one banner, the demo owner sees the demo devices mapped, and Ctrl-C stops it all', async () => {
    const [database, auth, hosting] = [await freePort(), await freePort(), await freePort()];
    run = npmStart(['--devices', '2', '--database-port', String(database), '--auth-port', String(auth), '--hosting-port', String(hosting), '--data-dir', dataDir]);
    const output = await run.waitFor(/Ctrl-C stops everything/);
    expect(output).toMatch(/Firelink is up in \d+\.\d s/);
    expect(output.match(/Firelink is up/g)).toHaveLength(1);
    expect(output).toContain('Sign in as       owner@demo.firelink.local / firelink-demo');
    expect(output).toContain(`Database (JSON)  http://127.0.0.1:${database}/.json?ns=demo-firelink-default-rtdb&auth=owner&print=pretty`);
    expect(output).toContain('2 simulated: demo-0001 ... demo-0002');
    // Quiet by default: no trigger lines.
    expect(output).not.toMatch(/onReadingCreated/);

    // The banner's JSON URL answers in a browser (no token needed: auth=owner).
    const json = (await (await fetch(`http://127.0.0.1:${database}/.json?ns=demo-firelink-default-rtdb&auth=owner&print=pretty`)).json()) as { devices?: object };
    expect(Object.keys(json.devices ?? {})).toEqual(expect.arrayContaining(['demo-0001', 'demo-0002']));

    const app = initializeApp({ projectId: 'demo-firelink', apiKey: 'demo-key', databaseURL: 'https://demo-firelink-default-rtdb.firebaseio.com' }, 'npm-start-owner');
    try {
      const authClient = getAuth(app);
      connectAuthEmulator(authClient, `http://127.0.0.1:${auth}`, { disableWarnings: true });
      await signInWithEmailAndPassword(authClient, 'owner@demo.firelink.local', 'firelink-demo');
      const db = getDatabase(app);
      connectDatabaseEmulator(db, '127.0.0.1', database);
      for (const id of ['demo-0001', 'demo-0002']) {
        const owned = await get(ref(db, `users/${authClient.currentUser!.uid}/devices/${id}`));
        expect(owned.val(), `${id} owned by the demo owner`).toBe(true);
        await eventually(`${id}'s readings mapped`, async () => {
          const state = await get(ref(db, `devices/${id}/state`));
          return typeof (state.val() as { angle?: unknown } | null)?.angle === 'number';
        }, 60_000);
      }
      goOffline(db);
    } finally {
      await deleteApp(app);
    }
    await run.waitFor(/fleet: online 2\/2/, 60_000);

    run.interrupt();
    expect(await run.exited).toBe(0);
    const final = run.output();
    expect(final).toMatch(/stopping the fleet \(devices write offline\) \.\.\.\n {2}2\/2 devices wrote offline\nstopping the functions and the database, then Auth/);
    expect(final).toMatch(/stopped in \d+\.\d s; data kept in /);
    // A clean run and stop: no warning or error line, and the fleet counted no errors.
    expect(final).not.toMatch(/⚠|\bwarn(ing)?\b|\berror\b|failed/i);
    expect(final.match(/errors \d+/g)?.every((m) => m === 'errors 0')).toBe(true);
    expect(processesMentioning(dataDir)).toEqual([]);
    for (const port of [database, auth]) expect(portHolder(port), `port ${port}`).toBeNull();
    const saved = JSON.parse(readFileSync(join(dataDir, 'database', 'database.json'), 'utf8')) as { devices: Record<string, { status?: { online?: boolean } }> };
    expect(saved.devices['demo-0001']?.status?.online).toBe(false);
    expect(saved.devices['demo-0002']?.status?.online).toBe(false);
    run = undefined;
  }, 300_000);
});
