/**
 * The identity `onReadingCreated` writes with: the Admin SDK limited to the security rules
 * (`databaseAuthVariableOverride`, Firebase "Authenticate with limited privileges") as
 * `auth = {uid: "firelink-functions", token: {firelinkFunctions: true}}`. The rules let this
 * identity write a device's `state` only with a higher `seq` than the stored one, and a reading's
 * `ts` only once, with server time. RTDB checks rules atomically with the write, so the one
 * multi-path update of a reading is conditional: an older reading can never replace a newer state,
 * whatever the concurrency, and a lost race costs no write (the update is refused as a whole).
 */
import { getApps, initializeApp, type App } from 'firebase-admin/app';
import { getDatabaseWithUrl, type Reference } from 'firebase-admin/database';

export const FUNCTIONS_UID = 'firelink-functions';
export const FUNCTIONS_CLAIM = 'firelinkFunctions';
const APP_NAME = 'firelink-rules-guarded';

let app: App | undefined;

/** Root of the database `instance` (hosted under `host`, e.g. firebaseio.com) as the guarded identity. */
export function guardedRoot(instance: string, host: string): Reference {
  app ??=
    getApps().find((a) => a.name === APP_NAME) ??
    initializeApp({ databaseAuthVariableOverride: { uid: FUNCTIONS_UID, token: { [FUNCTIONS_CLAIM]: true } } }, APP_NAME);
  // With FIREBASE_DATABASE_EMULATOR_HOST set, the Admin SDK keeps only the namespace of this URL.
  return getDatabaseWithUrl(`https://${instance}.${host}`, app).ref();
}

/** Whether a write was refused by the rules (the server's `permission_denied`). */
export function isPermissionDenied(err: unknown): boolean {
  const text = `${(err as { code?: unknown })?.code ?? ''} ${(err as { message?: unknown })?.message ?? ''}`;
  return /permission[_ ]denied/i.test(text);
}

/** Awaits a write whose refusal by the rules is expected and harmless (a newer value is there). */
export async function tolerated(write: Promise<void>): Promise<void> {
  try {
    await write;
  } catch (err) {
    if (!isPermissionDenied(err)) throw err;
  }
}
