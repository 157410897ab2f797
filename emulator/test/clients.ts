// Real SDK clients for the conformance suite: modular `firebase` v12 and `firebase-admin` v13.
import { deleteApp, initializeApp, type FirebaseApp } from 'firebase/app';
import { connectDatabaseEmulator, getDatabase, goOffline, type Database } from 'firebase/database';
import { randomBytes } from 'node:crypto';
import type { Target } from './harness.js';
import { PROJECT_ID } from './harness.js';

export interface ClientHandle {
  readonly app: FirebaseApp;
  readonly db: Database;
  close(): Promise<void>;
}

/**
 * A client-SDK app on a namespace. `via: 'url'` uses an `http://host:port?ns=` databaseURL
 * (the client then adopts the handshake host); `via: 'emulator'` uses connectDatabaseEmulator.
 */
export function clientApp(target: Target, ns: string, options: { via?: 'url' | 'emulator'; mockUserToken?: Record<string, unknown> } = {}): ClientHandle {
  const name = `c-${randomBytes(6).toString('hex')}`;
  const [host, port] = target.hostPort.split(':') as [string, string];
  const via = options.via ?? (options.mockUserToken ? 'emulator' : 'url');
  const app = initializeApp(
    { projectId: PROJECT_ID, apiKey: 'demo-key', databaseURL: via === 'url' ? `http://${target.hostPort}?ns=${ns}` : `https://${ns}.firebaseio.com` },
    name,
  );
  const db = getDatabase(app);
  if (via === 'emulator') {
    connectDatabaseEmulator(db, host, Number(port), options.mockUserToken ? { mockUserToken: { sub: 'user', ...options.mockUserToken } } : {});
  }
  return {
    app,
    db,
    async close() {
      goOffline(db);
      await deleteApp(app);
    },
  };
}
