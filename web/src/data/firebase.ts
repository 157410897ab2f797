/** Creates the Firebase app, Auth and the Databases for a resolved config (emulators when it says so). */
import { initializeApp, type FirebaseApp } from 'firebase/app';
import { connectAuthEmulator, getAuth, type Auth } from 'firebase/auth';
import { connectDatabaseEmulator, getDatabase, type Database } from 'firebase/database';
import type { AppConfig } from '../config.js';
import { instanceNameOf, instanceUrl } from '../logic/shards.js';

/** The default instance (users, the device directory, zones) and the shards devices live on. */
export interface Databases {
  /** The default instance: `users/{uid}/devices`, `deviceShards/{id}`, zones. */
  directory: Database;
  /** The database of an instance (`null`: the default one), opened on first use. */
  instance(name: string | null): Database;
}

export interface Firebase {
  app: FirebaseApp;
  auth: Auth;
  dbs: Databases;
}

function splitHost(hostPort: string): [string, number] {
  const i = hostPort.lastIndexOf(':');
  return [hostPort.slice(0, i).replace(/^\[(.*)\]$/, '$1'), Number(hostPort.slice(i + 1))];
}

export function connectFirebase(config: AppConfig): Firebase {
  const app = initializeApp(config.firebase);
  const auth = getAuth(app);
  const defaultUrl = config.firebase.databaseURL;
  const defaultName = instanceNameOf(defaultUrl);
  const open = new Map<string, Database>();
  const instance = (name: string | null): Database => {
    const key = name ?? defaultName;
    let db = open.get(key);
    if (db) return db;
    // One Database per instance URL (SDK: getDatabase(app, url)); locally each instance is a
    // namespace of the one emulator, named by the URL's first host label (SDK: parseRepoInfo).
    db = getDatabase(app, key === defaultName ? defaultUrl : instanceUrl(defaultUrl, key));
    if (config.emulators) {
      // Before the first request (SDK: connectDatabaseEmulator docs).
      const [host, port] = splitHost(config.emulators.database);
      connectDatabaseEmulator(db, host, port);
    }
    open.set(key, db);
    return db;
  };
  if (config.emulators) {
    // Before the first request (SDK: connectAuthEmulator docs).
    connectAuthEmulator(auth, `http://${config.emulators.auth}`, { disableWarnings: true });
  }
  return { app, auth, dbs: { directory: instance(null), instance } };
}
