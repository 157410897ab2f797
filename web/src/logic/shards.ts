/**
 * Which database instance a device lives on (issue 17): the default instance's directory
 * `deviceShards/{id}` names it; no entry means the default instance (single-instance setups).
 * Instance URLs follow the default instance's URL form
 * (https://firebase.google.com/docs/database/web/start "database URL"): only the first host label,
 * the instance name, differs between instances of one project and location.
 */
import { INSTANCE_NAME_PATTERN } from '@firelink/model';

/** A directory entry read: the device's instance, `null` for the default one, or why it is unusable. */
export type ShardEntry = { instance: string | null } | { error: string };

export function shardOfEntry(deviceId: string, value: unknown): ShardEntry {
  if (value === null || value === undefined) return { instance: null };
  if (typeof value === 'string' && INSTANCE_NAME_PATTERN.test(value)) return { instance: value };
  return {
    error: `deviceShards/${deviceId} is ${JSON.stringify(value)}, not a database instance name (lowercase letters, digits and dashes); ` +
      're-run provisioning for this device (firelink-provision move) to rewrite its directory entry',
  };
}

function hostOf(databaseUrl: string): URL {
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    throw new Error(`databaseURL "${databaseUrl}" is not a URL; check the Firebase web config (init.json)`);
  }
  if (!url.hostname.includes('.')) throw new Error(`databaseURL "${databaseUrl}" has no <instance>.<domain> host; check the Firebase web config (init.json)`);
  return url;
}

/** The instance name of a database URL: its first host label. */
export function instanceNameOf(databaseUrl: string): string {
  return hostOf(databaseUrl).hostname.split('.')[0]!;
}

/** The URL of `instance` next to the default instance at `defaultUrl` (same domain and location). */
export function instanceUrl(defaultUrl: string, instance: string): string {
  if (!INSTANCE_NAME_PATTERN.test(instance)) throw new Error(`"${instance}" is not a database instance name (lowercase letters, digits and dashes)`);
  const url = hostOf(defaultUrl);
  const rest = url.hostname.slice(url.hostname.indexOf('.'));
  return `${url.protocol}//${instance}${rest}${url.port ? `:${url.port}` : ''}`;
}
