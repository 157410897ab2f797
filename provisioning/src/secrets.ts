/**
 * The `secrets.h` block for the firmware of one device: what it needs to reach its project and
 * sign in. The password is not in it: the device's owner types it on the keypad (password.ts),
 * so the file can be built once per project. Wi-Fi values are placeholders to fill in.
 */
import type { DeviceCredentials } from './provision.js';
import { EMULATOR_API_KEY, clientDatabaseUrl, type Target } from './target.js';

export const API_KEY_PLACEHOLDER = 'YOUR_WEB_API_KEY';

/** A C string literal (the values are ASCII ids, URLs and keys; quotes and backslashes escaped). */
function cString(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/**
 * FIRELINK_DATABASE_URL is the device's shard, FIRELINK_DIRECTORY_URL the default instance where it
 * re-reads `deviceShards/{id}` at boot and on `reconnect` (both the target's database when the
 * device carries no shard, as before the directory).
 */
export function secretsHeader(
  device: Pick<DeviceCredentials, 'deviceId' | 'email'> & Partial<Pick<DeviceCredentials, 'databaseUrl' | 'directoryUrl'>>,
  target: Target,
  apiKey: string | undefined,
): string {
  const key = target.kind === 'emulators' ? (apiKey ?? EMULATOR_API_KEY) : (apiKey ?? API_KEY_PLACEHOLDER);
  const lines = [
    `// secrets.h for device ${device.deviceId} (firelink-provision). Keep it out of version control.`,
    '#pragma once',
    '#define FIRELINK_WIFI_SSID "your-wifi-ssid"',
    '#define FIRELINK_WIFI_PASSWORD "your-wifi-password"',
    target.kind === 'project' && apiKey === undefined
      ? `// The Web API key of project ${target.projectId}: Firebase console > Project settings > General.`
      : null,
    `#define FIRELINK_API_KEY ${cString(key)}`,
    `#define FIRELINK_DATABASE_URL ${cString(device.databaseUrl ?? clientDatabaseUrl(target))}`,
    `#define FIRELINK_DIRECTORY_URL ${cString(device.directoryUrl ?? clientDatabaseUrl(target))}`,
    target.kind === 'emulators'
      ? [
          '// Emulators: replace 127.0.0.1 with this computer\'s LAN address so the device can reach them.',
          `#define FIRELINK_AUTH_EMULATOR_HOST ${cString(target.authEmulatorHost)}`,
        ].join('\n')
      : null,
    `#define FIRELINK_DEVICE_ID ${cString(device.deviceId)}`,
    `#define FIRELINK_DEVICE_EMAIL ${cString(device.email)}`,
    '// The password is typed on the keypad at first boot; it is shown once by firelink-provision.',
  ];
  return `${lines.filter((line) => line !== null).join('\n')}\n`;
}
