// How the MQTT transport maps the database paths a device uses onto the gateway's topics
// (gateway/README.md "Topics"). Pure, so the mapping is tested without a broker.
import { DEVICE_ID_PATTERN, PUSH_ID_PATTERN } from '@firelink/model';

export const mqttTopics = Object.freeze({
  readings: (deviceId: string) => `firelink/devices/${deviceId}/readings`,
  state: (deviceId: string) => `firelink/devices/${deviceId}/state`,
  config: (deviceId: string) => `firelink/devices/${deviceId}/config`,
  commands: (deviceId: string) => `firelink/devices/${deviceId}/commands`,
  ack: (deviceId: string, commandId: string) => `firelink/devices/${deviceId}/commands/${commandId}/ack`,
  status: (deviceId: string) => `firelink/devices/${deviceId}/status`,
  auth: (deviceId: string) => `firelink/devices/${deviceId}/auth`,
});

export type DevicePath =
  | { kind: 'reading'; readingId: string }
  | { kind: 'status' }
  | { kind: 'command'; commandId: string }
  | { kind: 'state' }
  | { kind: 'state-seq' }
  | { kind: 'config' }
  | { kind: 'commands' };

/** The device path `path` names for `deviceId`, or undefined when MQTT has no topic for it. */
export function parseDevicePath(deviceId: string, path: string): DevicePath | undefined {
  if (!DEVICE_ID_PATTERN.test(deviceId)) return undefined;
  const parts = path.replace(/^\/+|\/+$/g, '').split('/');
  if (parts[0] !== 'devices' || parts[1] !== deviceId) return undefined;
  const [, , node, child, leaf] = parts;
  if (parts.length === 4 && node === 'readings' && PUSH_ID_PATTERN.test(child ?? '')) return { kind: 'reading', readingId: child ?? '' };
  if (parts.length === 4 && node === 'commands' && PUSH_ID_PATTERN.test(child ?? '')) return { kind: 'command', commandId: child ?? '' };
  if (parts.length === 4 && node === 'state' && child === 'seq') return { kind: 'state-seq' };
  if (parts.length === 3 && (node === 'status' || node === 'state' || node === 'config' || node === 'commands')) return { kind: node };
  void leaf;
  return undefined;
}

/** What a device writes to `status` becomes the status message: `lastSeen` is the gateway's (server time). */
export function statusMessage(value: unknown): { online?: boolean; fw?: string; rssi?: number } {
  const v = (value ?? {}) as { online?: unknown; fw?: unknown; rssi?: unknown };
  return {
    ...(typeof v.online === 'boolean' ? { online: v.online } : {}),
    ...(typeof v.fw === 'string' ? { fw: v.fw } : {}),
    ...(typeof v.rssi === 'number' ? { rssi: v.rssi } : {}),
  };
}
