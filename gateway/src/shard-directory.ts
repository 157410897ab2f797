/**
 * Which shard a device's data lives on (docs/scaling.md "How: the shard design"): the directory
 * `deviceShards/{id}: "<instance>"` in the default instance, read with the gateway's Admin SDK app
 * (read-only, like the feeds). No entry: the default instance, so one-instance setups keep working.
 * Read when a device connects and when a `reconnect` command for it appears.
 */
import type { Database } from 'firebase-admin/database';
import { assertInstanceName, deviceShardPath } from '@firelink/model';

export type ShardLookup = { ok: true; instance: string; entry: boolean } | { ok: false; instance: string; reason: string };

export async function lookupShard(directory: Database, deviceId: string, defaultInstance: string): Promise<ShardLookup> {
  const path = deviceShardPath(deviceId);
  let value: unknown;
  try {
    value = (await directory.ref(path).get()).val();
  } catch (err) {
    return { ok: false, instance: defaultInstance, reason: `cannot read /${path}: ${err instanceof Error ? err.message : String(err)}` };
  }
  if (value === null) return { ok: true, instance: defaultInstance, entry: false };
  try {
    return { ok: true, instance: assertInstanceName(value, path), entry: true };
  } catch (err) {
    return { ok: false, instance: defaultInstance, reason: `/${path} is not an instance name (provisioning writes it): ${err instanceof Error ? err.message : String(err)}` };
  }
}
