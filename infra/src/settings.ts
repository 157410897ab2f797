/**
 * The one way configuration enters the infrastructure program: Pulumi stack config
 * (`pulumi config set firelink:<key> <value>`), validated once, defaults in one literal, frozen.
 * A bad value fails before any resource is planned, naming the key, the rule and the fix.
 */

/** Regions that host Realtime Database instances (firebase.google.com/docs/database/locations). */
export const DATABASE_REGIONS = ['us-central1', 'europe-west1', 'asia-southeast1'] as const;
export type DatabaseRegion = (typeof DATABASE_REGIONS)[number];

export interface Settings {
  /** Google Cloud project id the Firebase project lives in. */
  projectId: string;
  /** When set, the program creates the project and links this billing account (Blaze). */
  billingAccount: string | undefined;
  /** Organization or folder for a created project (at most one; neither for a personal project). */
  orgId: string | undefined;
  folderId: string | undefined;
  /** Location of every Realtime Database instance. */
  databaseRegion: DatabaseRegion;
  /** Extra database instances beyond the default one, for sharding devices by id (docs/backend.md). */
  databaseShards: number;
  /** Display name of the Firebase web app the dashboard uses. */
  webAppName: string;
}

const DEFAULTS = { databaseRegion: 'us-central1', databaseShards: 0, webAppName: 'Firelink dashboard' } as const;

export const MAX_SHARDS = 20;

export class SettingsError extends Error {
  override readonly name = 'SettingsError';
}

// Google Cloud project ids: 6-30 characters, lower-case letters, digits and hyphens, starting with
// a letter (cloud.google.com/resource-manager/docs/creating-managing-projects).
const PROJECT_ID = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
const BILLING_ACCOUNT = /^[0-9A-F]{6}-[0-9A-F]{6}-[0-9A-F]{6}$/;

/** `get(key)` reads `firelink:<key>` (pulumi.Config.get), undefined when unset. */
export function parseSettings(get: (key: string) => string | undefined): Readonly<Settings> {
  const projectId = get('projectId');
  if (projectId === undefined || !PROJECT_ID.test(projectId)) {
    throw new SettingsError(
      `firelink:projectId: must be a Google Cloud project id (6-30 lower-case letters, digits, hyphens; got ${JSON.stringify(projectId)}); ` +
        'set it with `pulumi config set firelink:projectId my-firelink-123`',
    );
  }
  if (projectId.startsWith('demo-')) {
    throw new SettingsError(`firelink:projectId: ${projectId} is a demo-* id, which Firebase reserves for the emulators; pick another id`);
  }
  const billingAccount = get('billingAccount');
  if (billingAccount !== undefined && !BILLING_ACCOUNT.test(billingAccount)) {
    throw new SettingsError(`firelink:billingAccount: must look like 012345-6789AB-CDEF01 (got ${JSON.stringify(billingAccount)}); see \`gcloud billing accounts list\``);
  }
  const orgId = get('orgId');
  const folderId = get('folderId');
  if (orgId !== undefined && folderId !== undefined) throw new SettingsError('firelink:orgId and firelink:folderId: set at most one');
  if ((orgId !== undefined || folderId !== undefined) && billingAccount === undefined) {
    throw new SettingsError('firelink:orgId / firelink:folderId: only used when the program creates the project; set firelink:billingAccount too');
  }
  const region = get('databaseRegion') ?? DEFAULTS.databaseRegion;
  if (!(DATABASE_REGIONS as readonly string[]).includes(region)) {
    throw new SettingsError(`firelink:databaseRegion: must be one of ${DATABASE_REGIONS.join(', ')} (got ${JSON.stringify(region)})`);
  }
  const shardsRaw = get('databaseShards');
  const databaseShards = shardsRaw === undefined ? DEFAULTS.databaseShards : Number(shardsRaw);
  if (!Number.isInteger(databaseShards) || databaseShards < 0 || databaseShards > MAX_SHARDS) {
    throw new SettingsError(`firelink:databaseShards: must be an integer 0..${MAX_SHARDS} (got ${JSON.stringify(shardsRaw)}); 0 means the default instance only`);
  }
  return Object.freeze({
    projectId,
    billingAccount,
    orgId,
    folderId,
    databaseRegion: region as DatabaseRegion,
    databaseShards,
    webAppName: get('webAppName') ?? DEFAULTS.webAppName,
  });
}
