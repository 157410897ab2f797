// Opens a signed-in transport of the configured kind: the one place that turns configuration and
// credentials into a Transport, for devices, fleets and the CRUD commands alike.
import { authEndpoints, refreshSession, signInWithPassword, type AuthDeps } from './auth.js';
import { authTarget, databaseTarget, deviceUrls, targetOfUrl, type ConnectionConfig, type DeviceCredentials } from '../cli/config.js';
import { Backoff } from '../backoff.js';
import { systemClock, type Clock } from '../clock.js';
import { SimError } from '../errors.js';
import type { FetchLike } from './http.js';
import type { RandomSource } from '../random.js';
import { TokenKeeper } from './token-keeper.js';
import { RestTransport, type RestTransportOptions } from './rest.js';
import { SdkTransport } from './sdk.js';
import { connectMqtt } from './mqtt-connect.js';
import type { Transport } from './types.js';

export interface Connection {
  transport: Transport;
  uid: string;
  claims: Record<string, unknown>;
  /** Token refreshes so far (REST keeps its own tokens; the SDK refreshes internally). */
  tokenRefreshes(): number;
  /** The URLs the device started on and of its directory (`deviceUrls`). */
  urls: { databaseUrl: string; directoryUrl: string };
  /**
   * The same signed-in session on another instance (a shard, the directory), for shard moves;
   * null over MQTT, where the gateway routes by the directory.
   */
  openDatabase: ((url: string) => Transport) | null;
}

export interface ConnectDeps {
  fetch: FetchLike;
  random: RandomSource;
  nowMs: () => number;
  /** Stream idle deadlines and reconnect waits (default: the system clock). */
  clock?: Clock;
  onTokenRefresh?: (reason: string, validForMs: number) => void;
}

let appCounter = 0;

export async function connectAs(config: ConnectionConfig, credentials: DeviceCredentials, deps: ConnectDeps): Promise<Connection> {
  const urls = deviceUrls(config, credentials);
  const db = targetOfUrl(urls.databaseUrl, config);
  const auth = authTarget(config);
  if (config.transport === 'sdk') {
    let refreshes = 0;
    const { transport, uid, claims } = await SdkTransport.connect({
      appName: `device-sim-${(appCounter += 1)}-${credentials.email}`,
      projectId: config.project,
      apiKey: auth.apiKey,
      databaseUrl: db.sdkUrl,
      databaseEmulatorHost: db.emulatorHost,
      authEmulatorHost: auth.emulatorHost,
      email: credentials.email,
      password: credentials.password,
      requestTimeoutMs: config.requestTimeoutMs,
      maxTokenLifetimeMs: config.maxTokenLifetimeMs,
      onTokenRefresh: () => {
        refreshes += 1;
        deps.onTokenRefresh?.('scheduled', config.maxTokenLifetimeMs ?? 0);
      },
    });
    const openDatabase = (url: string) => {
      const target = targetOfUrl(url, config);
      return transport.openSibling(target.sdkUrl, target.emulatorHost);
    };
    return { transport, uid, claims, tokenRefreshes: () => refreshes, urls, openDatabase };
  }
  if (config.transport === 'mqtt') return { ...(await connectMqtt(config, credentials, deps)), urls, openDatabase: null };
  const authDeps: AuthDeps = { fetch: deps.fetch, nowMs: deps.nowMs, timeoutMs: config.requestTimeoutMs };
  const endpoints = authEndpoints({ authEmulatorHost: auth.emulatorHost, apiKey: auth.apiKey });
  const signIn = () => signInWithPassword(authDeps, endpoints, credentials.email, credentials.password);
  const session = await signIn();
  // Every REST transport of this device (its shard, its directory) shares the one token keeper.
  const transports = new Set<RestTransport>();
  const keeper = new TokenKeeper(session, {
    refresh: (refreshToken) => refreshSession(authDeps, endpoints, refreshToken),
    signIn,
    nowMs: deps.nowMs,
    refreshMarginMs: config.refreshMarginMs,
    maxLifetimeMs: config.maxTokenLifetimeMs,
    onRefresh: (next, reason) => {
      deps.onTokenRefresh?.(reason, next.expiresAtMs - deps.nowMs());
      // Streams were opened with the old token: reopen them before the server revokes them.
      for (const transport of transports) transport.reopenStreams();
    },
  });
  const open = (target: { origin: string; namespace: string | null }): RestTransport => {
    const transport = new RestTransport({
      location: { origin: target.origin, namespace: target.namespace },
      auth: { kind: 'user', tokens: keeper },
      fetch: deps.fetch,
      requestTimeoutMs: config.requestTimeoutMs,
      stream: streamOptions(config, deps),
      onClose: () => transports.delete(transport),
    });
    transports.add(transport);
    return transport;
  };
  return {
    transport: open(db),
    uid: session.uid,
    claims: session.claims,
    tokenRefreshes: () => keeper.refreshCount,
    urls,
    openDatabase: (url) => open(targetOfUrl(url, config)),
  };
}

/** How a REST transport keeps its SSE streams: idle timeout and reconnect backoff from the config. */
function streamOptions(config: ConnectionConfig, deps: ConnectDeps): RestTransportOptions['stream'] {
  return {
    clock: deps.clock ?? systemClock,
    idleTimeoutMs: config.streamIdleTimeoutMs,
    backoff: () => new Backoff({ baseMs: config.backoffBaseMs, maxMs: config.backoffMaxMs, random: deps.random }),
  };
}

/** The emulator's admin access over REST (`Authorization: Bearer owner`), for `--admin`. */
export function connectAsEmulatorAdmin(config: ConnectionConfig, deps: ConnectDeps): Connection {
  const db = databaseTarget(config);
  if (db.namespace === null) throw new SimError('bad-config', '--admin works only against the emulator (real Firebase needs a service account)');
  const transport = new RestTransport({
    location: { origin: db.origin, namespace: db.namespace },
    auth: { kind: 'emulator-admin' },
    fetch: deps.fetch,
    requestTimeoutMs: config.requestTimeoutMs,
    stream: streamOptions(config, deps),
  });
  return { transport, uid: 'owner', claims: {}, tokenRefreshes: () => 0, urls: { databaseUrl: config.databaseUrl ?? '', directoryUrl: '' }, openDatabase: null };
}

/** The account must be the device: its ID token carries the custom claim `device: <id>`. */
export function assertOwnsDevice(connection: Connection, email: string, deviceId: string): void {
  const claim = connection.claims.device;
  if (claim === deviceId) return;
  throw new SimError(
    'not-owner',
    claim === undefined
      ? `account ${email} is not a device account (no "device" claim), so it cannot run device ${deviceId}. Provision the device first: npm run provision -- --device ${deviceId} --owner <uid>`
      : `account ${email} is device "${String(claim)}", not "${deviceId}": a device account may only run its own device id`,
  );
}
