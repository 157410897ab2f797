/** Creates the Firebase app, Auth and Database for a resolved config (emulators when it says so). */
import { initializeApp, type FirebaseApp } from 'firebase/app';
import { connectAuthEmulator, getAuth, type Auth } from 'firebase/auth';
import { connectDatabaseEmulator, getDatabase, type Database } from 'firebase/database';
import type { AppConfig } from '../config.js';

export interface Firebase {
  app: FirebaseApp;
  auth: Auth;
  db: Database;
}

function splitHost(hostPort: string): [string, number] {
  const i = hostPort.lastIndexOf(':');
  return [hostPort.slice(0, i).replace(/^\[(.*)\]$/, '$1'), Number(hostPort.slice(i + 1))];
}

export function connectFirebase(config: AppConfig): Firebase {
  const app = initializeApp(config.firebase);
  const auth = getAuth(app);
  const db = getDatabase(app);
  if (config.emulators) {
    // Both must be connected before the first request (SDK: connectAuthEmulator / connectDatabaseEmulator docs).
    connectAuthEmulator(auth, `http://${config.emulators.auth}`, { disableWarnings: true });
    const [host, port] = splitHost(config.emulators.database);
    connectDatabaseEmulator(db, host, port);
  }
  return { app, auth, db };
}
