/**
 * Names the rest of Firelink derives from the project id, in one place: the default Realtime
 * Database instance is `<project>-default-rtdb` (what `firebase deploy --only database` targets
 * when firebase.json names no instance, the emulator namespace, and device-sim's default URL), and
 * its URL depends on the location (firebase.google.com/docs/database/locations: us-central1 keeps
 * `<id>.firebaseio.com`, other regions use `<id>.<region>.firebasedatabase.app`).
 */
import type { DatabaseRegion } from './settings.js';

export const defaultInstanceId = (projectId: string): string => `${projectId}-default-rtdb`;

/**
 * Shard `n` (1-based): a USER_DATABASE instance beside the default one, named as a local stack
 * names its namespaces (model's localShardInstances: `npm start -- --shards N`, FIRELINK_SHARDS=N).
 */
export const shardInstanceId = (projectId: string, n: number): string => `${projectId}-shard-${n}`;

export function databaseUrl(instanceId: string, region: DatabaseRegion): string {
  return region === 'us-central1' ? `https://${instanceId}.firebaseio.com` : `https://${instanceId}.${region}.firebasedatabase.app`;
}

/** The default Hosting site has the project id as its id; it serves at these two addresses. */
export const hostingUrls = (siteId: string): string[] => [`https://${siteId}.web.app`, `https://${siteId}.firebaseapp.com`];
