/**
 * Provisioning a device, admin side: its own Auth user (e-mail + generated password, custom claim
 * `device: <deviceId>`), then on its shard (shards.ts) meta, default config and zone membership in
 * one update, the owner's index entry on the default instance, and the directory entry
 * `deviceShards/{id}` LAST: two instances cannot be written atomically, so a device without an
 * entry is half-made and a retry writes it again (docs/scaling.md, step 3). The password is
 * returned once and stored nowhere.
 */
import type { Auth, UserRecord } from 'firebase-admin/auth';
import type { Database } from 'firebase-admin/database';
import {
  DEFAULT_CONFIG,
  chooseShard,
  deviceShardPath,
  MetaSchema,
  assertDeviceId,
  assertUid,
  assertZoneId,
  configPath,
  metaPath,
  userDevicePath,
  validate,
  zoneDevicesPath,
  zoneOwnersPath,
} from '@firelink/model';
import { ProvisionError } from './errors.js';
import { generateKeypadPassword } from './password.js';
import { deviceShard, shardLoads, shardRouter, type ShardRouter } from './shards.js';

export const DEVICE_EMAIL_DOMAIN = 'devices.firelink.local';

export interface ProvisionRequest {
  deviceId: string;
  ownerUid: string;
  zone?: string;
  /** Display name; defaults to the device id. */
  name?: string;
  /** Issue a new password for an already provisioned device (same owner), keeping its data. */
  rotate?: boolean;
  /** This configured instance instead of the least-loaded one. */
  shard?: string;
}

/** Admin SDK handles: `db` is the default instance; `shards` routes to the others (default: none). */
export interface ProvisionDeps {
  auth: Auth;
  db: Database;
  shards?: ShardRouter;
}

export interface DeviceCredentials {
  deviceId: string;
  uid: string;
  email: string;
  password: string;
  owner: string;
  zone: string | null;
  rotated: boolean;
  /** The instance holding the device's data. */
  shard: string;
  /** The shard's database URL, as the device dials it. */
  databaseUrl: string;
  /** The default instance's URL, where the device reads `deviceShards/{id}`. */
  directoryUrl: string;
}

export const deviceEmail = (deviceId: string): string => `${deviceId}@${DEVICE_EMAIL_DOMAIN}`;
export const deviceUid = (deviceId: string): string => `device-${deviceId}`;

function checked<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw new ProvisionError('invalid-argument', err instanceof Error ? err.message : String(err));
  }
}

async function findUser(auth: Auth, uid: string): Promise<UserRecord | null> {
  try {
    return await auth.getUser(uid);
  } catch (err) {
    if ((err as { code?: string }).code === 'auth/user-not-found') return null;
    throw err;
  }
}

/**
 * The shard of a new device: the zone's shard when the zone already has devices (a zone lives on
 * one shard, docs/scaling.md), else `--shard`, else the least-loaded configured instance.
 */
async function shardForNewDevice(router: ShardRouter, zone: string | null, explicit: string | undefined): Promise<string> {
  if (zone !== null) {
    const candidates = [...new Set([router.directory, ...router.configured.map((s) => s.instance)])];
    const homes = await Promise.all(
      candidates.map(async (instance) => ((await router.database(instance).ref(zoneDevicesPath(zone)).limitToFirst(1).get()).exists() ? instance : null)),
    );
    const home = homes.find((instance) => instance !== null);
    if (home !== undefined && home !== null) {
      if (explicit !== undefined && explicit !== home) {
        throw new ProvisionError('invalid-argument', `--shard ${explicit}: zone ${zone} lives on ${home} (a zone's devices share one shard); give --shard ${home} or another zone`);
      }
      return home;
    }
  }
  if (explicit === undefined && router.configured.length === 1) return router.configured[0]!.instance;
  const loads = await shardLoads(router);
  return checked(() => chooseShard(loads, explicit));
}

export async function provisionDevice(deps: ProvisionDeps, request: ProvisionRequest): Promise<DeviceCredentials> {
  const deviceId = checked(() => assertDeviceId(request.deviceId, 'device'));
  const owner = checked(() => assertUid(request.ownerUid, 'owner'));
  const zone = request.zone === undefined ? null : checked(() => assertZoneId(request.zone, 'zone'));
  const name = request.name ?? deviceId;
  const uid = deviceUid(deviceId);
  const email = deviceEmail(deviceId);
  const password = generateKeypadPassword();
  const { auth } = deps;
  const router = deps.shards ?? shardRouter(deps.db);
  const directoryDb = router.database(router.directory);
  const routed = (shard: string) => ({ shard, databaseUrl: router.clientUrl(shard), directoryUrl: router.clientUrl(router.directory) });

  const [existingUser, current] = await Promise.all([findUser(auth, uid), deviceShard(router, deviceId)]);
  const existingMeta = await router.database(current.instance).ref(metaPath(deviceId)).get();
  // Without a directory entry a device counts as provisioned only when its meta is on the default
  // instance (it predates the directory); an Auth user or shard data without an entry is a
  // provisioning that stopped halfway, and is done again below.
  const exists = current.listed || existingMeta.exists();

  if (request.rotate === true) {
    const rotated = await rotateDevicePassword(deps, { deviceId, owner, password, existingUser, existingMeta: existingMeta.val() as { owner?: unknown; zone?: unknown } | null });
    return { ...rotated, ...routed(current.instance) };
  }
  if (exists) {
    throw new ProvisionError(
      'already-exists',
      `device ${deviceId} is already provisioned (Auth user ${existingUser ? 'exists' : 'missing'}, meta ${existingMeta.exists() ? 'exists' : 'missing'}${current.listed ? `, on ${current.instance}` : ''}); pass --rotate to issue a new password`,
    );
  }

  const meta = { name, owner, ...(zone !== null ? { zone } : {}), createdAt: Date.now() };
  const metaCheck = validate(MetaSchema, meta, 'meta');
  if (!metaCheck.ok) throw new ProvisionError('invalid-argument', metaCheck.error.message);
  const shard = await shardForNewDevice(router, zone, request.shard);

  if (existingUser === null) await auth.createUser({ uid, email, password, emailVerified: true, displayName: name });
  else await auth.updateUser(uid, { email, password, emailVerified: true, displayName: name });
  const shardData: Record<string, unknown> = {
    [metaPath(deviceId)]: { ...meta, createdAt: { '.sv': 'timestamp' } },
    [configPath(deviceId)]: DEFAULT_CONFIG,
    // Membership and the owner's read access to the zone (functions/src/zone-membership.ts).
    ...(zone !== null
      ? { [`${zoneDevicesPath(zone)}/${deviceId}`]: true, [`${zoneOwnersPath(zone)}/${owner}/${deviceId}`]: true }
      : {}),
  };
  const index = { [userDevicePath(owner, deviceId)]: true };
  try {
    await auth.setCustomUserClaims(uid, { device: deviceId });
    if (shard === router.directory) {
      await directoryDb.ref().update({ ...shardData, ...index });
    } else {
      await router.database(shard).ref().update(shardData);
      await directoryDb.ref().update(index);
    }
    await directoryDb.ref(deviceShardPath(deviceId)).set(shard);
  } catch (err) {
    // Leave nothing half-made: without its data the user would block a retry.
    await auth.deleteUser(uid).catch(() => undefined);
    throw err;
  }
  return { deviceId, uid, email, password, owner, zone, rotated: false, ...routed(shard) };
}

/**
 * A new password for a provisioned device (same owner): the old one and its refresh tokens stop
 * working (Admin SDK revokeRefreshTokens), the claim is asserted again, the data stays. This is
 * the one place to add checks before a rotation (e.g. refusing while the device is online).
 */
export async function rotateDevicePassword(
  deps: { auth: Auth },
  current: { deviceId: string; owner: string; password: string; existingUser: UserRecord | null; existingMeta: { owner?: unknown; zone?: unknown } | null },
): Promise<Omit<DeviceCredentials, 'shard' | 'databaseUrl' | 'directoryUrl'>> {
  const { deviceId, owner, password, existingUser, existingMeta } = current;
  const uid = deviceUid(deviceId);
  if (existingUser === null) {
    throw new ProvisionError('failed-precondition', `device ${deviceId} has no Auth user to rotate; provision it without --rotate first`);
  }
  const currentOwner = existingMeta?.owner;
  if (currentOwner !== owner) {
    throw new ProvisionError('failed-precondition', `device ${deviceId} is owned by ${JSON.stringify(currentOwner ?? null)}, not ${owner}; rotate with the owner it has`);
  }
  await deps.auth.updateUser(uid, { password });
  await deps.auth.setCustomUserClaims(uid, { device: deviceId });
  await deps.auth.revokeRefreshTokens(uid);
  const zone = typeof existingMeta?.zone === 'string' ? existingMeta.zone : null;
  return { deviceId, uid, email: deviceEmail(deviceId), password, owner, zone, rotated: true };
}
