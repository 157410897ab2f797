/**
 * Database path builders. Every builder validates its ids and throws a ContractError naming the
 * argument, so a bad id never reaches the database. Paths have no leading slash: they work as
 * `ref(db, path)` with the SDKs and as `/${path}.json` with the REST API.
 */
import {
  assertChannel,
  assertDeviceId,
  assertMinuteKey,
  assertPushId,
  assertUid,
  assertZoneId,
} from './keys.js';

export const DEVICES = 'devices';
export const USERS = 'users';
export const ZONES = 'zones';
export const FIRMWARE = 'firmware';
export const ROLLUPS = 'rollups';

/** `devices/{deviceId}` */
export function devicePath(deviceId: string): string {
  return `${DEVICES}/${assertDeviceId(deviceId)}`;
}

/** `devices/{deviceId}/meta`: {name, owner, zone?, createdAt}, owner/admin write. */
export function metaPath(deviceId: string): string {
  return `${devicePath(deviceId)}/meta`;
}

/** `devices/{deviceId}/config`: owner write, device read. */
export function configPath(deviceId: string): string {
  return `${devicePath(deviceId)}/config`;
}

/** `devices/{deviceId}/readings`: the device appends. */
export function readingsPath(deviceId: string): string {
  return `${devicePath(deviceId)}/readings`;
}

/** `devices/{deviceId}/readings/{readingId}` */
export function readingPath(deviceId: string, readingId: string): string {
  return `${readingsPath(deviceId)}/${assertPushId(readingId, 'readingId')}`;
}

/** `devices/{deviceId}/readings/{readingId}/ts`: server time, stamped only by functions. */
export function readingTsPath(deviceId: string, readingId: string): string {
  return `${readingPath(deviceId, readingId)}/ts`;
}

/** `devices/{deviceId}/state`: written only by functions; the device listens to it. */
export function statePath(deviceId: string): string {
  return `${devicePath(deviceId)}/state`;
}

/** `devices/{deviceId}/status`: the device writes; onDisconnect / heartbeat / presence sweep. */
export function statusPath(deviceId: string): string {
  return `${devicePath(deviceId)}/status`;
}

/** `devices/{deviceId}/commands`: the owner writes, the device acks. */
export function commandsPath(deviceId: string): string {
  return `${devicePath(deviceId)}/commands`;
}

/** `devices/{deviceId}/commands/{commandId}` */
export function commandPath(deviceId: string, commandId: string): string {
  return `${commandsPath(deviceId)}/${assertPushId(commandId, 'commandId')}`;
}

/** `users/{uid}/devices`: the owner's index of devices. */
export function userDevicesPath(uid: string): string {
  return `${USERS}/${assertUid(uid)}/devices`;
}

/** `users/{uid}/devices/{deviceId}`: `true` when uid owns deviceId. */
export function userDevicePath(uid: string, deviceId: string): string {
  return `${userDevicesPath(uid)}/${assertDeviceId(deviceId)}`;
}

/** `zones/{zoneId}`: {devices, owners, alert?}, functions write; owners of its devices read. */
export function zonePath(zoneId: string): string {
  return `${ZONES}/${assertZoneId(zoneId)}`;
}

/** `zones/{zoneId}/devices` */
export function zoneDevicesPath(zoneId: string): string {
  return `${zonePath(zoneId)}/devices`;
}

/** `zones/{zoneId}/owners`: `{ <uid>: { <deviceId>: true } }`; who may read the zone. */
export function zoneOwnersPath(zoneId: string): string {
  return `${zonePath(zoneId)}/owners`;
}

/** `zones/{zoneId}/alert`: present only while an alert is raised. */
export function zoneAlertPath(zoneId: string): string {
  return `${zonePath(zoneId)}/alert`;
}

/** `firmware/{channel}`: OTA metadata, admin write. */
export function firmwarePath(channel: string): string {
  return `${FIRMWARE}/${assertChannel(channel)}`;
}

/** `rollups/{deviceId}`: per-minute summaries, outside the device subtree so devices never load them. */
export function rollupsPath(deviceId: string): string {
  return `${ROLLUPS}/${assertDeviceId(deviceId)}`;
}

/** `rollups/{deviceId}/{minuteKey}` with minuteKey `YYYYMMDDHHmm` (UTC), see `minuteKey()`. */
export function rollupPath(deviceId: string, minuteKey: string): string {
  return `${rollupsPath(deviceId)}/${assertMinuteKey(minuteKey)}`;
}

/**
 * Trigger patterns for Cloud Functions v2 database triggers (`onValueCreated(pattern, ...)`),
 * with the wildcard names the handlers read from `event.params`.
 */
export const PATTERNS = Object.freeze({
  device: `${DEVICES}/{deviceId}`,
  reading: `${DEVICES}/{deviceId}/readings/{readingId}`,
  state: `${DEVICES}/{deviceId}/state`,
  status: `${DEVICES}/{deviceId}/status`,
  config: `${DEVICES}/{deviceId}/config`,
  meta: `${DEVICES}/{deviceId}/meta`,
  command: `${DEVICES}/{deviceId}/commands/{commandId}`,
  userDevice: `${USERS}/{uid}/devices/{deviceId}`,
  zone: `${ZONES}/{zoneId}`,
  firmware: `${FIRMWARE}/{channel}`,
  rollup: `${ROLLUPS}/{deviceId}/{minuteKey}`,
} as const);
