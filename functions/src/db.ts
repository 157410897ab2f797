/**
 * The Admin SDK databases of scheduled jobs: the project's default database (the directory
 * `deviceShards` and the ownership index live there), and the shards to visit: every URL in
 * FIRELINK_DATABASE_URLS, or the default database alone. Triggers use the database their event
 * came from (`event.data.ref.root`) instead. `initializeApp()` without options reads
 * FIREBASE_CONFIG, which Cloud Functions and our functions host both set.
 */
import { getApps, initializeApp, type App } from 'firebase-admin/app';
import { getDatabase, getDatabaseWithUrl } from 'firebase-admin/database';
import type { Reference } from 'firebase-admin/database';
import { instanceOfDatabaseUrl } from '@firelink/model';
import { config } from './config.js';

let app: App | undefined;

export interface ShardRoot {
  /** The instance name (`deviceShards` values name it). */
  instance: string;
  root: Reference;
}

function defaultApp(): App {
  app ??= getApps().find((a) => a.name === '[DEFAULT]') ?? initializeApp();
  return app;
}

/**
 * The directory (the default instance) and every shard the jobs visit, in the configured order.
 * When FIRELINK_DATABASE_URLS lists the default instance, its handle serves as the directory too:
 * the SDK refuses two handles on one instance under different URLs.
 */
export function databases(): { directory: ShardRoot; shards: ShardRoot[] } {
  const db = defaultApp();
  const url = db.options.databaseURL;
  if (url === undefined) throw new Error('the default app has no databaseURL: FIREBASE_CONFIG must name the default database');
  const defaultInstance = instanceOfDatabaseUrl(url);
  const shards = config.databaseUrls.map((shardUrl) => ({ instance: instanceOfDatabaseUrl(shardUrl), root: getDatabaseWithUrl(shardUrl, db).ref() }));
  const directory = shards.find((s) => s.instance === defaultInstance) ?? { instance: defaultInstance, root: getDatabase(db).ref() };
  return { directory, shards: shards.length > 0 ? shards : [directory] };
}
