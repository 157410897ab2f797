/**
 * The Admin SDK database of scheduled jobs. Triggers use the database their event came from
 * (`event.data.ref.root`) instead, so they work on every shard. `initializeApp()` without options
 * reads FIREBASE_CONFIG, which Cloud Functions and our functions host both set.
 */
import { getApps, initializeApp, type App } from 'firebase-admin/app';
import { getDatabase } from 'firebase-admin/database';
import type { Reference } from 'firebase-admin/database';

let app: App | undefined;

export function rootRef(): Reference {
  app ??= getApps().find((a) => a.name === '[DEFAULT]') ?? initializeApp();
  return getDatabase(app).ref();
}
