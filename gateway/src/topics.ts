/**
 * Topic names and the authorization of topics and subscription filters: a device publishes and
 * subscribes only under `firelink/devices/{its id}/…`, and publishes only to the topics it owns
 * (readings, status, command acks, auth). Pure functions, no broker.
 */
import { DEVICE_ID_PATTERN, PUSH_ID_PATTERN } from '@firelink/model';
import { ReasonCode, refusal, type Refusal } from './reason-codes.js';

export { isRefused } from './reason-codes.js';

export const TOPIC_ROOT = 'firelink/devices';

/** What a topic inside a device's tree is for. */
export type TopicKind = 'readings' | 'status' | 'ack' | 'auth' | 'state' | 'config' | 'commands';

/** Topics the device publishes to (the gateway writes them to RTDB as the device). */
export const DEVICE_PUBLISHED: ReadonlySet<TopicKind> = new Set(['readings', 'status', 'ack', 'auth']);
/** Topics only the gateway publishes (from RTDB listeners). */
export const GATEWAY_PUBLISHED: ReadonlySet<TopicKind> = new Set(['state', 'config', 'commands']);

export interface ParsedTopic {
  deviceId: string;
  kind: TopicKind;
  /** Set for `commands/{commandId}/ack`. */
  commandId?: string;
}

export const topics = Object.freeze({
  readings: (deviceId: string) => `${TOPIC_ROOT}/${deviceId}/readings`,
  state: (deviceId: string) => `${TOPIC_ROOT}/${deviceId}/state`,
  config: (deviceId: string) => `${TOPIC_ROOT}/${deviceId}/config`,
  commands: (deviceId: string) => `${TOPIC_ROOT}/${deviceId}/commands`,
  ack: (deviceId: string, commandId: string) => `${TOPIC_ROOT}/${deviceId}/commands/${commandId}/ack`,
  status: (deviceId: string) => `${TOPIC_ROOT}/${deviceId}/status`,
  auth: (deviceId: string) => `${TOPIC_ROOT}/${deviceId}/auth`,
});

const SIMPLE_KINDS: Record<string, TopicKind> = {
  readings: 'readings',
  state: 'state',
  config: 'config',
  commands: 'commands',
  status: 'status',
  auth: 'auth',
};

/** Parses a concrete topic name (no wildcards); `undefined` when it is not a Firelink device topic. */
export function parseTopic(topic: string): ParsedTopic | undefined {
  const parts = topic.split('/');
  if (parts.length < 4 || parts[0] !== 'firelink' || parts[1] !== 'devices') return undefined;
  const deviceId = parts[2] ?? '';
  if (!DEVICE_ID_PATTERN.test(deviceId)) return undefined;
  if (parts.length === 4) {
    const kind = SIMPLE_KINDS[parts[3] ?? ''];
    return kind ? { deviceId, kind } : undefined;
  }
  if (parts.length === 6 && parts[3] === 'commands' && parts[5] === 'ack') {
    const commandId = parts[4] ?? '';
    return PUSH_ID_PATTERN.test(commandId) ? { deviceId, kind: 'ack', commandId } : undefined;
  }
  return undefined;
}

/** The device's own topic prefix, `firelink/devices/{id}/`. */
export function ownPrefix(deviceId: string): string {
  return `${TOPIC_ROOT}/${deviceId}/`;
}

/** Why `deviceId` may not publish to `topic`, or the parsed topic when it may. */
export function authorizePublishTopic(deviceId: string, topic: string): ParsedTopic | Refusal {
  if (!topic.startsWith(ownPrefix(deviceId))) {
    return refusal(ReasonCode.notAuthorized, `topic ${JSON.stringify(topic)} is outside the device's tree ${ownPrefix(deviceId)}`);
  }
  const parsed = parseTopic(topic);
  if (!parsed) {
    return refusal(
      ReasonCode.topicNameInvalid,
      `topic ${JSON.stringify(topic)} is not a Firelink topic; devices publish to readings, status, auth or commands/{commandId}/ack`,
    );
  }
  if (!DEVICE_PUBLISHED.has(parsed.kind)) {
    return refusal(ReasonCode.notAuthorized, `topic ${JSON.stringify(topic)} is published by the gateway only (it mirrors the database)`);
  }
  return parsed;
}

/**
 * Whether `deviceId` may subscribe to `filter`: every topic the filter can match must lie in the
 * device's own tree, so wildcards are allowed only after `firelink/devices/{id}/`. Shared
 * subscriptions (`$share/…`) and `$SYS` are refused.
 */
export function authorizeSubscribeFilter(deviceId: string, filter: string): Refusal | undefined {
  const prefix = ownPrefix(deviceId);
  const ownTree = `${TOPIC_ROOT}/${deviceId}/#`;
  if (filter === ownTree || filter.startsWith(prefix)) return undefined;
  return refusal(ReasonCode.notAuthorized, `subscription ${JSON.stringify(filter)} reaches outside the device's tree ${prefix}`);
}

/** Whether a topic is one the gateway publishes for this device (what may be forwarded to it). */
export function isForwardable(deviceId: string, topic: string): boolean {
  if (!topic.startsWith(ownPrefix(deviceId))) return false;
  const parsed = parseTopic(topic);
  return parsed !== undefined && GATEWAY_PUBLISHED.has(parsed.kind);
}

/**
 * Whether the MQTT topic filter `filter` matches the topic name `topic` (`+` one level, `#` the
 * rest; MQTT 5.0 section 4.7). Written here because aedes keeps its matcher (qlobber) internal.
 */
export function filterMatches(filter: string, topic: string): boolean {
  const f = filter.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i += 1) {
    if (f[i] === '#') return true;
    if (i >= t.length) return false;
    if (f[i] !== '+' && f[i] !== t[i]) return false;
  }
  return f.length === t.length;
}
