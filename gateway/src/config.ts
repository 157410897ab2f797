/**
 * The gateway's configuration: one literal of defaults, overridden by environment variables and
 * then by explicit options, validated once at start and frozen. A bad value fails at once with a
 * message naming the variable and how to fix it.
 *
 * Safety: a `demo-*` project (the default) only exists in the emulators, so it requires both
 * FIREBASE_DATABASE_EMULATOR_HOST and FIREBASE_AUTH_EMULATOR_HOST; a real project must be named
 * explicitly (FIRELINK_GATEWAY_PROJECT or the `projectId` option), never picked up by accident.
 */
import { z } from 'zod';
import { DEFAULT_CONFIG } from '@firelink/model';

const port = z.number().int().min(0).max(65_535);
const positiveMs = z.number().int().min(1);

export const GatewayConfigSchema = z.strictObject({
  /** Interface to listen on: 127.0.0.1 locally, 0.0.0.0 in a container. */
  host: z.string().min(1),
  /** MQTT over TCP (1883 is the IANA port for MQTT); 0 picks a free port. */
  mqttPort: port,
  /** MQTT over WebSocket; 0 picks a free port. */
  wsPort: port,
  /** Path of the WebSocket endpoint (MQTT.js and most browsers' clients use `/mqtt`). */
  wsPath: z.string().startsWith('/'),
  projectId: z.string().regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/),
  /** The default instance, `<project>-default-rtdb` unless named otherwise: the shard directory, and devices without an entry. */
  namespace: z.string().min(1),
  /** Origin of the database's REST API: `http://127.0.0.1:9000` (emulator) or `https://<ns>.firebaseio.com`. */
  databaseOrigin: z.string().regex(/^https?:\/\/[^\s/]+$/),
  /** Set when the database is an emulator: REST requests then carry `?ns=<namespace>`. */
  emulated: z.boolean(),
  maxPayloadBytes: z.number().int().min(64).max(65_536),
  maxTokenBytes: z.number().int().min(512).max(65_536),
  /** Whole MQTT packets larger than this are refused by the broker (MQTT 5 DISCONNECT 0x95). */
  maxPacketBytes: z.number().int().min(1_024).max(268_435_455),
  /** Refused publishes a session may make within `strikeWindowMs` before it is closed (0x97). */
  strikeLimit: z.number().int().min(1),
  strikeWindowMs: positiveMs,
  /** The session closes this long before its ID token expires, so its offline status can still be written as the device. */
  tokenExpiryMarginMs: z.number().int().min(0).max(600_000),
  /** Timeout of one REST write; attempts of a write that found the database unreachable. */
  writeTimeoutMs: positiveMs,
  writeAttempts: z.number().int().min(1).max(10),
  /** Keep-alive sockets to the database's REST API (one pool for all devices); more writes queue for a socket. */
  writeConnections: z.number().int().min(1).max(1_024),
  /** Presence heartbeat while connected when the device's config has none (the model's default). */
  defaultHeartbeatMs: positiveMs,
  /** MQTT keep-alive the broker accepts at most (seconds); larger requests are refused (v3) or lowered (v5). */
  keepaliveLimitSeconds: z.number().int().min(0).max(65_535),
});

export type GatewayConfig = Readonly<z.output<typeof GatewayConfigSchema>>;

export const DEFAULTS = Object.freeze({
  host: '127.0.0.1',
  mqttPort: 1883,
  wsPort: 8083,
  wsPath: '/mqtt',
  maxPayloadBytes: 1_024,
  maxTokenBytes: 4_096,
  maxPacketBytes: 16_384,
  strikeLimit: 20,
  strikeWindowMs: 60_000,
  tokenExpiryMarginMs: 5_000,
  writeTimeoutMs: 10_000,
  writeAttempts: 3,
  writeConnections: 64,
  defaultHeartbeatMs: DEFAULT_CONFIG.heartbeatMs,
  keepaliveLimitSeconds: 300,
});

/** Environment variables read, with the option each sets. */
const ENV_NUMBERS: Record<string, keyof typeof DEFAULTS> = {
  FIRELINK_GATEWAY_MQTT_PORT: 'mqttPort',
  FIRELINK_GATEWAY_WS_PORT: 'wsPort',
  FIRELINK_GATEWAY_MAX_PAYLOAD_BYTES: 'maxPayloadBytes',
  FIRELINK_GATEWAY_STRIKE_LIMIT: 'strikeLimit',
  FIRELINK_GATEWAY_TOKEN_EXPIRY_MARGIN_MS: 'tokenExpiryMarginMs',
  FIRELINK_GATEWAY_KEEPALIVE_LIMIT_SECONDS: 'keepaliveLimitSeconds',
  FIRELINK_GATEWAY_WRITE_CONNECTIONS: 'writeConnections',
};

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export type GatewayOptions = Partial<z.input<typeof GatewayConfigSchema>>;

export function loadConfig(env: NodeJS.ProcessEnv, options: GatewayOptions = {}): GatewayConfig {
  const fromEnv: Record<string, unknown> = {};
  for (const [name, key] of Object.entries(ENV_NUMBERS)) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    const value = Number(raw);
    if (!Number.isInteger(value)) throw new ConfigError(`${name}: must be an integer (got ${JSON.stringify(raw)})`);
    fromEnv[key] = value;
  }
  if (env.FIRELINK_GATEWAY_HOST) fromEnv.host = env.FIRELINK_GATEWAY_HOST;

  const explicitProject = options.projectId ?? env.FIRELINK_GATEWAY_PROJECT;
  const projectId = explicitProject ?? env.GCLOUD_PROJECT ?? 'demo-firelink';
  const dbHost = env.FIREBASE_DATABASE_EMULATOR_HOST;
  const authHost = env.FIREBASE_AUTH_EMULATOR_HOST;
  if (projectId.startsWith('demo-') && (!dbHost || !authHost)) {
    throw new ConfigError(
      `project ${projectId} is a demo project, which exists only in the emulators: set FIREBASE_DATABASE_EMULATOR_HOST and FIREBASE_AUTH_EMULATOR_HOST ` +
        `(now ${dbHost ?? 'unset'} and ${authHost ?? 'unset'}), or name a real project with FIRELINK_GATEWAY_PROJECT`,
    );
  }
  if (!projectId.startsWith('demo-') && explicitProject === undefined) {
    throw new ConfigError(`GCLOUD_PROJECT=${projectId} is not a demo project: name a real project explicitly with FIRELINK_GATEWAY_PROJECT`);
  }
  const emulated = Boolean(dbHost);
  const namespace = options.namespace ?? env.FIRELINK_GATEWAY_NAMESPACE ?? `${projectId}-default-rtdb`;
  const databaseOrigin = options.databaseOrigin ?? (emulated ? `http://${dbHost}` : `https://${namespace}.firebaseio.com`);

  const merged = { ...DEFAULTS, ...fromEnv, projectId, namespace, databaseOrigin, emulated, ...options };
  const result = GatewayConfigSchema.safeParse(merged);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || '(config)'}: ${i.message} (got ${JSON.stringify((merged as Record<string, unknown>)[String(i.path[0])])})`);
    throw new ConfigError(`invalid gateway configuration: ${problems.join('; ')}`);
  }
  return Object.freeze(result.data);
}
