/**
 * Shards (docs/scaling.md): the directory path, the database URL of an instance and back, and the
 * choice of a shard for a new device. Provisioning (provisioning/src/shards.ts) writes
 * `deviceShards/{id}`; the scheduled jobs (functions/src/fleet.ts) list each shard's devices by it.
 */
import { ContractError, describeValue } from './errors.js';
import { assertDeviceId } from './keys.js';

/** The directory in the DEFAULT instance: `deviceShards/{deviceId}: "<instance name>"`. */
export const DEVICE_SHARDS = 'deviceShards';

/**
 * RTDB instance names as functions/src/config.ts accepts them for FIRELINK_DATABASE_INSTANCE:
 * lowercase letters, digits and dashes, starting with a letter or digit, at most 63 characters.
 */
export const INSTANCE_NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

export function deviceShardPath(deviceId: string): string {
  return `${DEVICE_SHARDS}/${assertDeviceId(deviceId)}`;
}

/** Most local shards `npm start -- --shards N` runs (one emulator process serves them all). */
export const LOCAL_SHARDS_MAX = 16;

/**
 * The instances of a local stack with `count` shards: `<project>-default-rtdb`, then
 * `<project>-shard-1` ... `<project>-shard-{count-1}` (docs/scaling.md, "Locally").
 */
export function localShardInstances(projectId: string, count: number): string[] {
  if (!Number.isInteger(count) || count < 1 || count > LOCAL_SHARDS_MAX) {
    throw new ContractError('invalid-data', 'shards', `shards must be a whole number from 1 to ${LOCAL_SHARDS_MAX} (got ${describeValue(count)})`);
  }
  const names = [`${projectId}-default-rtdb`, ...Array.from({ length: count - 1 }, (_, i) => `${projectId}-shard-${i + 1}`)];
  names.forEach((name) => assertInstanceName(name, 'shards'));
  return names;
}

export function assertInstanceName(value: unknown, argName = 'instance'): string {
  if (typeof value !== 'string' || !INSTANCE_NAME_PATTERN.test(value)) {
    throw new ContractError(
      'invalid-key',
      argName,
      `${argName} must be an RTDB instance name such as my-project-default-rtdb (lowercase letters, digits, dashes; ` +
        `at most 63) (got ${describeValue(value)})`,
    );
  }
  return value;
}

/**
 * The database URL of an instance: `https://<name>.firebaseio.com` in us-central1, else
 * `https://<name>.<location>.firebasedatabase.app` (docs/database/web/start "database URL");
 * with an emulator host, `http://<host>/?ns=<name>` (one namespace per instance).
 */
export function instanceDatabaseUrl(instance: string, options: { location?: string; emulatorHost?: string } = {}): string {
  const name = assertInstanceName(instance);
  if (options.emulatorHost !== undefined) return `http://${options.emulatorHost}/?ns=${name}`;
  const location = options.location ?? 'us-central1';
  if (!/^[a-z]+-[a-z]+\d+$/.test(location)) {
    throw new ContractError('invalid-data', 'location', `location must be a region such as europe-west1 (got ${describeValue(location)})`);
  }
  return location === 'us-central1' ? `https://${name}.firebaseio.com` : `https://${name}.${location}.firebasedatabase.app`;
}

/**
 * The instance a database URL names: its `ns` parameter (emulator), else the first label of a
 * `<name>.firebaseio.com` or `<name>.<location>.firebasedatabase.app` host.
 */
export function instanceOfDatabaseUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ContractError('invalid-data', 'databaseUrl', `databaseUrl must be a URL (got ${describeValue(url)})`);
  }
  const ns = parsed.searchParams.get('ns');
  const host = /^([a-z0-9][a-z0-9-]{0,62})\.(?:firebaseio\.com|[a-z]+-[a-z]+\d+\.firebasedatabase\.app)$/.exec(parsed.hostname);
  const name = ns ?? host?.[1];
  if (name === undefined || !INSTANCE_NAME_PATTERN.test(name)) {
    throw new ContractError(
      'invalid-data',
      'databaseUrl',
      `cannot tell the database instance from ${describeValue(url)}: expected https://<instance>.firebaseio.com, ` +
        'https://<instance>.<location>.firebasedatabase.app or http://host:port/?ns=<instance>',
    );
  }
  return name;
}

export interface ShardLoad {
  instance: string;
  /** Devices the directory assigns to this instance now. */
  devices: number;
  /** Devices it may hold (the planner's devices per instance); absent: no cap. */
  capacity?: number;
}

/**
 * The shard for a new device: `explicit` when given (it must be configured and not full), else
 * the least-loaded configured instance below its capacity; a tie goes to the earlier entry, so
 * the configured order decides and the choice is deterministic. Every shard full is an error that
 * says to add an instance.
 */
export function chooseShard(shards: readonly ShardLoad[], explicit?: string): string {
  if (shards.length === 0) {
    throw new ContractError('invalid-data', 'shards', 'no database instance is configured: list at least the default instance');
  }
  const seen = new Set<string>();
  shards.forEach((shard, i) => {
    assertInstanceName(shard.instance, `shards[${i}].instance`);
    if (seen.has(shard.instance)) {
      throw new ContractError('invalid-data', `shards[${i}].instance`, `shard ${shard.instance} is listed twice`);
    }
    seen.add(shard.instance);
    for (const key of ['devices', 'capacity'] as const) {
      const n = shard[key];
      if (n === undefined && key === 'capacity') continue;
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
        throw new ContractError('invalid-data', `shards[${i}].${key}`, `${key} of ${shard.instance} must be a whole number >= 0 (got ${describeValue(n)})`);
      }
    }
  });
  const hasRoom = (shard: ShardLoad) => shard.capacity === undefined || shard.devices < shard.capacity;
  if (explicit !== undefined) {
    const chosen = shards.find((shard) => shard.instance === explicit);
    if (chosen === undefined) {
      throw new ContractError(
        'invalid-data',
        'shard',
        `shard ${describeValue(explicit)} is not configured; configured: ${shards.map((s) => s.instance).join(', ')}`,
      );
    }
    if (!hasRoom(chosen)) {
      throw new ContractError('invalid-data', 'shard', `shard ${explicit} is full (${chosen.devices} of ${chosen.capacity} devices)`);
    }
    return chosen.instance;
  }
  let best: ShardLoad | undefined;
  for (const shard of shards) {
    if (hasRoom(shard) && (best === undefined || shard.devices < best.devices)) best = shard;
  }
  if (best === undefined) {
    throw new ContractError(
      'invalid-data',
      'shards',
      `every shard is full (${shards.map((s) => `${s.instance} ${s.devices}/${s.capacity}`).join(', ')}): add a database instance (docs/scaling.md)`,
    );
  }
  return best.instance;
}
