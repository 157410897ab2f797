/**
 * The Admin SDK databases of scheduled jobs: the project's default database, or every shard listed
 * in FIRELINK_DATABASE_URLS. Triggers use the database their event came from
 * (`event.data.ref.root`) instead. `initializeApp()` without options reads FIREBASE_CONFIG, which
 * Cloud Functions and our functions host both set.
 */
import { getApps, initializeApp, type App } from 'firebase-admin/app';
import { getDatabase, getDatabaseWithUrl } from 'firebase-admin/database';
import type { Reference } from 'firebase-admin/database';
import { config } from './config.js';

let app: App | undefined;

export function rootRefs(): Reference[] {
  app ??= getApps().find((a) => a.name === '[DEFAULT]') ?? initializeApp();
  const db = app;
  if (config.databaseUrls.length === 0) return [getDatabase(db).ref()];
  return config.databaseUrls.map((url) => getDatabaseWithUrl(url, db).ref());
}
