// Opens the MQTT transport: signs in over REST like the firmware (docs/device-sim.md), keeps the
// ID token fresh with the TokenKeeper, and hands each new token to the gateway (…/auth).
import { authEndpoints, refreshSession, signInWithPassword, type AuthDeps } from './auth.js';
import { authTarget, type ConnectionConfig, type DeviceCredentials } from '../cli/config.js';
import type { Connection, ConnectDeps } from './connect.js';
import { SimError } from '../errors.js';
import { TokenKeeper } from './token-keeper.js';
import { MqttTransport } from './mqtt.js';

/** How often the token's refresh time is checked (the keeper refreshes a margin before expiry). */
const TOKEN_CHECK_MS = 15_000;

export async function connectMqtt(config: ConnectionConfig, credentials: DeviceCredentials, deps: ConnectDeps): Promise<Omit<Connection, 'urls' | 'openDatabase'>> {
  const auth = authTarget(config);
  const authDeps: AuthDeps = { fetch: deps.fetch, nowMs: deps.nowMs, timeoutMs: config.requestTimeoutMs };
  const endpoints = authEndpoints({ authEmulatorHost: auth.emulatorHost, apiKey: auth.apiKey });
  const signIn = () => signInWithPassword(authDeps, endpoints, credentials.email, credentials.password);
  const session = await signIn();
  const deviceId = session.claims.device;
  if (typeof deviceId !== 'string') {
    throw new SimError('not-owner', `account ${credentials.email} is not a device account (no "device" claim): MQTT needs the device's own account`);
  }
  let transport: MqttTransport | null = null;
  const keeper = new TokenKeeper(session, {
    refresh: (refreshToken) => refreshSession(authDeps, endpoints, refreshToken),
    signIn,
    nowMs: deps.nowMs,
    refreshMarginMs: config.refreshMarginMs,
    maxLifetimeMs: config.maxTokenLifetimeMs,
    onRefresh: (next, reason) => {
      deps.onTokenRefresh?.(reason, next.expiresAtMs - deps.nowMs());
      transport?.useToken(next.idToken);
    },
  });
  transport = await MqttTransport.connect({
    url: config.mqttUrl,
    deviceId,
    idToken: session.idToken,
    requestTimeoutMs: config.requestTimeoutMs,
    keepaliveSeconds: 15,
    reconnectPeriodMs: config.backoffBaseMs * 2,
    renewToken: (rejected) => keeper.tokenRejected(rejected),
  });
  const live = transport;
  // idToken() renews when due; onRefresh then publishes the new token.
  const timer = setInterval(() => void keeper.idToken().catch(() => undefined), Math.min(TOKEN_CHECK_MS, Math.max(1_000, (config.maxTokenLifetimeMs ?? TOKEN_CHECK_MS * 4) / 4)));
  timer.unref();
  const close = live.close.bind(live);
  live.close = async () => {
    clearInterval(timer);
    await close();
  };
  return { transport: live, uid: session.uid, claims: session.claims, tokenRefreshes: () => keeper.refreshCount };
}
