/**
 * The database instances provisioning writes to (docs/scaling.md, "How: the shard design"): the
 * DEFAULT instance holds the ownership index and the directory `deviceShards/{id}`; each device's
 * data lives on its shard. A `ShardRouter` hands out an Admin SDK handle and the client URL of any
 * instance, derived from the default instance's URL by the model's `siblingInstanceUrl`.
 */
import type { Database } from 'firebase-admin/database';
import { getDatabaseWithUrl } from 'firebase-admin/database';
import { DEVICE_SHARDS, assertInstanceName, deviceShardPath, instanceOfDatabaseUrl, localShardInstances, siblingInstanceUrl, type ShardLoad } from '@firelink/model';
import { ProvisionError } from './errors.js';

/** A configured instance and, optionally, how many devices it may hold (the planner's figure). */
export interface ShardSpec {
  instance: string;
  capacity?: number;
}

/** Where the shard list comes from when no flag gives it. */
export const SHARDS_ENV = 'FIRELINK_SHARDS';

/**
 * `a,b:500,c`: instance names, each optionally with `:capacity`; or a count N, the instances of a
 * local stack started with `--shards N` (model's localShardInstances; `projectId` needed). Empty
 * or absent: null (only the default instance). `from` names the flag or variable in errors.
 */
export function parseShardList(text: string | undefined, from: string, projectId?: string): ShardSpec[] | null {
  if (text === undefined || text.trim() === '') return null;
  if (/^\s*\d+\s*$/.test(text)) {
    if (projectId === undefined) throw new ProvisionError('invalid-argument', `${from}: a count of shards needs the project id; list the instances instead (a,b,c)`);
    try {
      return localShardInstances(projectId, Number(text)).map((instance) => ({ instance }));
    } catch (error) {
      throw new ProvisionError('invalid-argument', `${from}: ${(error as Error).message}`);
    }
  }
  const specs: ShardSpec[] = [];
  for (const item of text.split(',').map((s) => s.trim())) {
    const match = /^([^:\s]+)(?::(\d+))?$/.exec(item);
    const name = match?.[1];
    if (name === undefined) {
      throw new ProvisionError('invalid-argument', `${from}: ${JSON.stringify(item)} is not an instance name or name:capacity (e.g. ${from === SHARDS_ENV ? 'demo-firelink-default-rtdb,demo-firelink-shard-1:500' : 'my-project-default-rtdb,my-project-shard-1:500'})`);
    }
    try {
      assertInstanceName(name, from);
    } catch (error) {
      throw new ProvisionError('invalid-argument', (error as Error).message);
    }
    if (specs.some((s) => s.instance === name)) throw new ProvisionError('invalid-argument', `${from}: ${name} is listed twice`);
    specs.push(match?.[2] === undefined ? { instance: name } : { instance: name, capacity: Number(match[2]) });
  }
  return specs;
}

/** The instance a database URL names (model's instanceOfDatabaseUrl), as a provisioning error. */
export function instanceOfUrl(url: string): string {
  try {
    return instanceOfDatabaseUrl(url);
  } catch (error) {
    throw new ProvisionError('invalid-argument', (error as Error).message);
  }
}

export interface ShardRouter {
  /** The default instance: `users`, `deviceShards`, `firmware`. */
  readonly directory: string;
  /** New devices go to one of these (default: the default instance alone). */
  readonly configured: readonly ShardSpec[];
  database(instance: string): Database;
  /** The URL a client (SDK, REST, firmware) uses for `instance`. */
  clientUrl(instance: string): string;
}

/**
 * A router over `db`, the default instance's Admin SDK handle (its app's `databaseURL` names it).
 * `configured` null or empty: the default instance only.
 */
export function shardRouter(db: Database, configured: readonly ShardSpec[] | null = null): ShardRouter {
  const baseUrl = db.app.options.databaseURL;
  if (baseUrl === undefined) throw new ProvisionError('invalid-argument', 'the Admin app has no databaseURL: initialize it with the default instance URL');
  const directory = instanceOfUrl(baseUrl);
  const handles = new Map<string, Database>([[directory, db]]);
  return {
    directory,
    configured: configured !== null && configured.length > 0 ? configured : [{ instance: directory }],
    database(instance) {
      let handle = handles.get(instance);
      if (handle === undefined) {
        handle = getDatabaseWithUrl(siblingInstanceUrl(baseUrl, instance), db.app);
        handles.set(instance, handle);
      }
      return handle;
    },
    clientUrl: (instance) => siblingInstanceUrl(baseUrl, instance),
  };
}

/** The device's shard by the directory; a device without an entry lives on the default instance. */
export async function deviceShard(router: ShardRouter, deviceId: string): Promise<{ instance: string; listed: boolean }> {
  const entry = (await router.database(router.directory).ref(deviceShardPath(deviceId)).get()).val() as unknown;
  if (typeof entry === 'string') return { instance: entry, listed: true };
  return { instance: router.directory, listed: false };
}

/** The load of each configured shard: its count of directory entries (`.indexOn: ".value"`). */
export async function shardLoads(router: ShardRouter): Promise<ShardLoad[]> {
  const directory = router.database(router.directory).ref(DEVICE_SHARDS);
  return Promise.all(
    router.configured.map(async (spec) => {
      const snap = await directory.orderByValue().equalTo(spec.instance).get();
      return { instance: spec.instance, devices: snap.numChildren(), ...(spec.capacity !== undefined ? { capacity: spec.capacity } : {}) };
    }),
  );
}
