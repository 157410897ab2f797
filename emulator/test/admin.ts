// firebase-admin v13 apps for the conformance suite (they connect with `gauth owner`).
import { randomBytes } from 'node:crypto';
import { deleteApp, initializeApp, type App } from 'firebase-admin/app';
import { getDatabase, type Database } from 'firebase-admin/database';
import type { Target } from './harness.js';
import { PROJECT_ID } from './harness.js';

export interface AdminHandle {
  readonly app: App;
  readonly db: Database;
  close(): Promise<void>;
}

export function adminApp(target: Target, ns: string, authOverride?: object | null): AdminHandle {
  process.env['FIREBASE_DATABASE_EMULATOR_HOST'] = target.hostPort;
  const options: Record<string, unknown> = { projectId: PROJECT_ID, databaseURL: `http://${target.hostPort}?ns=${ns}` };
  if (authOverride !== undefined) options['databaseAuthVariableOverride'] = authOverride;
  const app = initializeApp(options, `a-${randomBytes(6).toString('hex')}`);
  const db = getDatabase(app);
  return {
    app,
    db,
    async close() {
      // The admin SDK keeps sockets open until the app is deleted.
      await deleteApp(app);
    },
  };
}
