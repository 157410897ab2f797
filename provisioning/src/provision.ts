/**
 * Provisioning a device, admin side: its own Auth user (e-mail + generated password, custom claim
 * `device: <deviceId>`), the owner's index entry, meta, default config and zone membership in ONE
 * update. The password is returned once and stored nowhere.
 */
import type { Auth, UserRecord } from 'firebase-admin/auth';
import type { Database } from 'firebase-admin/database';
import {
  DEFAULT_CONFIG,
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

export const DEVICE_EMAIL_DOMAIN = 'devices.firelink.local';

export interface ProvisionRequest {
  deviceId: string;
  ownerUid: string;
  zone?: string;
  /** Display name; defaults to the device id. */
  name?: string;
  /** Issue a new password for an already provisioned device (same owner), keeping its data. */
  rotate?: boolean;
}

export interface DeviceCredentials {
  deviceId: string;
  uid: string;
  email: string;
  password: string;
  owner: string;
  zone: string | null;
  rotated: boolean;
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

export async function provisionDevice(deps: { auth: Auth; db: Database }, request: ProvisionRequest): Promise<DeviceCredentials> {
  const deviceId = checked(() => assertDeviceId(request.deviceId, 'device'));
  const owner = checked(() => assertUid(request.ownerUid, 'owner'));
  const zone = request.zone === undefined ? null : checked(() => assertZoneId(request.zone, 'zone'));
  const name = request.name ?? deviceId;
  const uid = deviceUid(deviceId);
  const email = deviceEmail(deviceId);
  const password = generateKeypadPassword();
  const { auth, db } = deps;

  const [existingUser, existingMeta] = await Promise.all([findUser(auth, uid), db.ref(metaPath(deviceId)).get()]);
  const exists = existingUser !== null || existingMeta.exists();

  if (request.rotate === true) return rotateDevicePassword(deps, { deviceId, owner, password, existingUser, existingMeta: existingMeta.val() as { owner?: unknown; zone?: unknown } | null });
  if (exists) {
    throw new ProvisionError(
      'already-exists',
      `device ${deviceId} is already provisioned (Auth user ${existingUser ? 'exists' : 'missing'}, meta ${existingMeta.exists() ? 'exists' : 'missing'}); pass --rotate to issue a new password`,
    );
  }

  const meta = { name, owner, ...(zone !== null ? { zone } : {}), createdAt: Date.now() };
  const metaCheck = validate(MetaSchema, meta, 'meta');
  if (!metaCheck.ok) throw new ProvisionError('invalid-argument', metaCheck.error.message);

  await auth.createUser({ uid, email, password, emailVerified: true, displayName: name });
  try {
    await auth.setCustomUserClaims(uid, { device: deviceId });
    await db.ref().update({
      [userDevicePath(owner, deviceId)]: true,
      [metaPath(deviceId)]: { ...meta, createdAt: { '.sv': 'timestamp' } },
      [configPath(deviceId)]: DEFAULT_CONFIG,
      // Membership and the owner's read access to the zone (functions/src/zone-membership.ts).
      ...(zone !== null
        ? { [`${zoneDevicesPath(zone)}/${deviceId}`]: true, [`${zoneOwnersPath(zone)}/${owner}/${deviceId}`]: true }
        : {}),
    });
  } catch (err) {
    // Leave nothing half-made: without its data the user would block a retry.
    await auth.deleteUser(uid).catch(() => undefined);
    throw err;
  }
  return { deviceId, uid, email, password, owner, zone, rotated: false };
}

/**
 * A new password for a provisioned device (same owner): the old one and its refresh tokens stop
 * working (Admin SDK revokeRefreshTokens), the claim is asserted again, the data stays. This is
 * the one place to add checks before a rotation (e.g. refusing while the device is online).
 */
export async function rotateDevicePassword(
  deps: { auth: Auth; db: Database },
  current: { deviceId: string; owner: string; password: string; existingUser: UserRecord | null; existingMeta: { owner?: unknown; zone?: unknown } | null },
): Promise<DeviceCredentials> {
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
