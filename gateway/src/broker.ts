/**
 * The aedes broker's handlers: authentication, topic authorization, device publishes written to
 * RTDB as the device, RTDB values published back (retained state and config, commands), presence,
 * token expiry and abuse control. Aedes handler contracts: node_modules/aedes/docs/Aedes.md.
 */
import { Aedes, type AedesPublishPacket, type Client, type PublishPacket, type Subscription } from 'aedes';
import type { Database } from 'firebase-admin/database';
import { ConfigSchema, commandPath, validate } from '@firelink/model';
import { verifyDevice, type DeviceIdentity, type TokenVerifier } from './auth.js';
import type { GatewayConfig } from './config.js';
import { applyPublish, type PublishDeps } from './device-publish.js';
import { DeviceFeeds, type PendingCommand } from './device-feeds.js';
import { SERVER_TIMESTAMP, type DeviceWriter } from './device-writer.js';
import type { GatewayLogs } from './logs.js';
import { parsePayload } from './payloads.js';
import { Presence } from './presence.js';
import { ReasonCode, reasonName, V3_BAD_USERNAME_OR_PASSWORD, type Refusal } from './reason-codes.js';
import { refusePublish, withholdPublish } from './refuse.js';
import { newSession, strike, type Session } from './session.js';
import { lookupShard } from './shard-directory.js';
import { authorizePublishTopic, authorizeSubscribeFilter, filterMatches, isForwardable, isRefused, topics } from './topics.js';

export interface BrokerDeps {
  config: GatewayConfig;
  writer: DeviceWriter;
  verify: TokenVerifier;
  /** The default instance: the directory `deviceShards`, and devices without an entry. */
  adminDb: Database;
  /** The Admin SDK database of a shard (default: `adminDb` for every instance, one-instance setups). */
  instanceDb?: (instance: string) => Database;
  logs: GatewayLogs;
  nowMs?: () => number;
}

export interface GatewayStats {
  sessions: number;
  devices: number;
  readingsAccepted: number;
  publishesRefused: number;
  connectsRefused: number;
  statesPublished: number;
}

export interface Broker {
  aedes: Aedes;
  stats(): GatewayStats;
  close(): Promise<void>;
}

export async function createBroker(deps: BrokerDeps): Promise<Broker> {
  const { config, logs } = deps;
  const nowMs = deps.nowMs ?? Date.now;
  const presence = new Presence(deps.writer);
  const instanceDb = deps.instanceDb ?? (() => deps.adminDb);
  const publishDeps: PublishDeps = { writer: deps.writer, presence, verify: deps.verify, adminDb: instanceDb };
  const identities = new WeakMap<Client, DeviceIdentity>();
  /** The shard the directory named when the connection authenticated. */
  const connectShards = new WeakMap<Client, string>();
  /** Publishes being written, by device: a shard move lets them finish on the old shard first. */
  const inFlight = new Map<string, Set<Promise<unknown>>>();
  /** `reconnect` commands the gateway executes itself (by `deviceId/commandId`), never published. */
  const reconnectsHandled = new Set<string>();
  const sessions = new Map<Client, Session>();
  /** Authenticated connections not yet ready (CONNACK pending), by device: a takeover in progress. */
  const pendingClients = new Map<string, Set<Client>>();
  /** Whether another connection of the device is live (or about to be) on this instance. */
  const othersLive = (session: Session): boolean => {
    if ((pendingClients.get(session.deviceId)?.size ?? 0) > 0) return true;
    for (const other of sessions.values()) if (other !== session && other.deviceId === session.deviceId && !other.ended) return true;
    return false;
  };
  const counters = { readingsAccepted: 0, publishesRefused: 0, connectsRefused: 0, statesPublished: 0 };

  const aedes: Aedes = await Aedes.createBroker({
    keepaliveLimit: config.keepaliveLimitSeconds,
    maximumPacketSize: config.maxPacketBytes,
    // A device's session lives no longer than its connection: all state is in RTDB (stateless gateway).
    sessionExpiryIntervalLimit: 1,
    pendingSessionsLimit: 10_000,
    drainTimeout: 30_000,
    heartbeatInterval: 60_000,
  });

  const gatewayPublish = (topic: string, payload: string, retain: boolean): void => {
    aedes.publish({ cmd: 'publish', topic, payload: Buffer.from(payload), qos: 1, retain, dup: false }, () => {});
  };
  const publishCommands = (deviceId: string, pending: readonly PendingCommand[]): void => {
    for (const command of pending) {
      if (command.type !== 'reconnect') gatewayPublish(topics.commands(deviceId), JSON.stringify(command), false);
    }
  };
  const publishedCommands = new Map<string, Set<string>>();

  // Retained topics holding a value; an empty retained publish clears one (MQTT 5.0 section 3.3.1.3).
  const retainedTopics = new Set<string>();
  const publishRetained = (topic: string, value: unknown): void => {
    if (value === null) {
      if (retainedTopics.delete(topic)) gatewayPublish(topic, '', true);
      return;
    }
    retainedTopics.add(topic);
    gatewayPublish(topic, JSON.stringify(value), true);
  };

  const feeds = new DeviceFeeds(instanceDb, {
    state: (deviceId, value) => {
      if (value !== null) counters.statesPublished += 1;
      publishRetained(topics.state(deviceId), value);
    },
    config: (deviceId, value) => {
      publishRetained(topics.config(deviceId), value);
      const parsed = validate(ConfigSchema, value, 'config');
      const heartbeatMs = parsed.ok ? parsed.value.heartbeatMs : config.defaultHeartbeatMs;
      for (const session of sessions.values()) if (session.deviceId === deviceId) armHeartbeat(session, heartbeatMs);
    },
    commands: (deviceId, pending) => {
      // Publish each pending command once per listen; a new subscription gets all pending ones.
      const seen = publishedCommands.get(deviceId) ?? new Set<string>();
      publishedCommands.set(deviceId, seen);
      const fresh = pending.filter((c) => !seen.has(c.id));
      for (const c of fresh) seen.add(c.id);
      publishCommands(deviceId, fresh);
      for (const c of pending) if (c.type === 'reconnect') void followShard(deviceId, c.id);
    },
    error: (deviceId, node, message) => logs.feedError(deviceId, node, message),
  });

  /**
   * A `reconnect` command for a device connected here: the gateway is the device's link to the
   * database, so it follows the directory itself (docs/scaling.md "How: the shard design", step 6):
   * ack on the old shard, re-read the directory, let writes in flight finish, move every session's
   * writes and the feeds, and write "online" on the new shard.
   */
  async function followShard(deviceId: string, commandId: string): Promise<void> {
    const key = `${deviceId}/${commandId}`;
    if (reconnectsHandled.has(key)) return;
    const session = [...sessions.values()].find((s) => s.deviceId === deviceId && !s.ended);
    if (!session) return;
    reconnectsHandled.add(key);
    const from = session.instance;
    const result = { status: 'ok', message: 'the gateway moved the device to the shard of the directory' };
    const ack = await deps.writer.patch(commandPath(deviceId, commandId), { ackAt: SERVER_TIMESTAMP, result }, session.token, from);
    if (!ack.ok) logs.reconnectAckFailed(deviceId, commandId, ack.message);
    const lookup = await lookupShard(deps.adminDb, deviceId, config.namespace);
    if (!lookup.ok) {
      logs.directoryUnreadable(deviceId, from, lookup.reason);
      return;
    }
    if (lookup.instance === from) {
      logs.shardUnchanged(deviceId, from);
      return;
    }
    for (const s of sessions.values()) if (s.deviceId === deviceId) s.instance = lookup.instance;
    await Promise.allSettled([...(inFlight.get(deviceId) ?? [])]);
    feeds.move(deviceId, lookup.instance);
    logs.shardMoved(deviceId, from, lookup.instance);
    const outcome = await presence.write({ deviceId, token: session.token, online: true, fw: session.fw, instance: lookup.instance });
    if (!outcome.ok) logs.presenceWriteFailed(deviceId, true, outcome.message);
  }

  function track(deviceId: string, work: Promise<unknown>): void {
    const set = inFlight.get(deviceId) ?? new Set<Promise<unknown>>();
    inFlight.set(deviceId, set);
    set.add(work);
    void work.finally(() => {
      set.delete(work);
      if (set.size === 0 && inFlight.get(deviceId) === set) inFlight.delete(deviceId);
    });
  }

  function armHeartbeat(session: Session, heartbeatMs: number): void {
    if (session.ended) return;
    if (session.heartbeatTimer && session.heartbeatMs === heartbeatMs) return;
    clearInterval(session.heartbeatTimer);
    session.heartbeatMs = heartbeatMs;
    session.heartbeatTimer = setInterval(() => {
      void presence.write({ deviceId: session.deviceId, token: session.token, online: true, instance: session.instance }).then((outcome) => {
        if (!outcome.ok) logs.presenceWriteFailed(session.deviceId, true, outcome.message);
      });
    }, heartbeatMs);
  }

  function armExpiry(session: Session): void {
    clearTimeout(session.expiryTimer);
    const delayMs = Math.max(0, session.expiresAtMs - config.tokenExpiryMarginMs - nowMs());
    session.expiryTimer = setTimeout(() => {
      logs.tokenExpired(session.deviceId);
      void endSession(session, 'token-expired').then(() =>
        session.client.disconnect({
          reasonCode: ReasonCode.maximumConnectTime,
          properties: { reasonString: `ID token expired: reconnect with a fresh token, or publish one to ${topics.auth(session.deviceId)} before expiry` },
        }),
      );
    }, Math.min(delayMs, 2_147_483_647));
  }

  /** Writes `online: false` once per session (if no other session of the device is live here). */
  async function endSession(session: Session, reason: string, fw?: string): Promise<void> {
    if (session.offlineWritten) return;
    session.offlineWritten = true;
    if (othersLive(session)) return;
    const outcome = await presence.write({ deviceId: session.deviceId, token: session.token, online: false, fw: fw ?? session.fw, instance: session.instance });
    if (!outcome.ok) logs.presenceWriteFailed(session.deviceId, false, `${reason}: ${outcome.message}`);
  }

  function countRefusal(session: Session, topicOrFilter: string, refused: Refusal, subscribe = false): void {
    counters.publishesRefused += 1;
    if (subscribe) logs.subscribeRefused(session.deviceId, topicOrFilter, refused.reason);
    else logs.publishRefused(session.deviceId, topicOrFilter, reasonName(refused.reasonCode), refused.reason);
    const strikes = strike(session, nowMs(), config.strikeWindowMs);
    if (strikes > config.strikeLimit) {
      logs.abuseDisconnect(session.deviceId, strikes, config.strikeWindowMs);
      session.client.disconnect({
        reasonCode: ReasonCode.quotaExceeded,
        properties: { reasonString: `more than ${config.strikeLimit} refused publishes or subscriptions in ${config.strikeWindowMs} ms` },
      });
    }
  }

  aedes.authenticate = (client, username, password, done) => {
    void verifyDevice(deps.verify, username, password).then((verified) => {
      if (!verified.ok) {
        counters.connectsRefused += 1;
        logs.connectRefused(username, client.id, verified.reason);
        const error = Object.assign(new Error(verified.reason), { returnCode: V3_BAD_USERNAME_OR_PASSWORD as 4 });
        done(error, false);
        return;
      }
      identities.set(client, verified.identity);
      const pending = pendingClients.get(verified.identity.deviceId) ?? new Set<Client>();
      pendingClients.set(verified.identity.deviceId, pending);
      pending.add(client);
      // A connection that closes before its CONNACK never becomes a session.
      client.conn.once('close', () => forgetPending(verified.identity.deviceId, client));
      // The shard before the CONNACK, so the device's first publish already goes there.
      void lookupShard(deps.adminDb, verified.identity.deviceId, config.namespace).then((lookup) => {
        if (!lookup.ok) logs.directoryUnreadable(verified.identity.deviceId, lookup.instance, lookup.reason);
        connectShards.set(client, lookup.instance);
        done(null, true);
      });
    });
  };

  function forgetPending(deviceId: string, client: Client): void {
    const pending = pendingClients.get(deviceId);
    if (!pending) return;
    pending.delete(client);
    if (pending.size === 0) pendingClients.delete(deviceId);
  }

  aedes.on('clientReady', (client: Client) => {
    const identity = identities.get(client);
    if (!identity) return;
    forgetPending(identity.deviceId, client);
    const will = (client as Client & { will?: PublishPacket }).will;
    let fw: string | undefined;
    if (will && will.topic === topics.status(identity.deviceId)) {
      const parsed = parsePayload('status', Buffer.from(will.payload), config);
      if (!isRefused(parsed) && parsed.kind === 'status') fw = parsed.value.fw;
    }
    // A device already connected here keeps one route: the newest the feeds follow.
    const instance = feeds.instance(identity.deviceId) ?? connectShards.get(client) ?? config.namespace;
    const session = newSession(client, identity, fw, config.defaultHeartbeatMs, instance);
    sessions.set(client, session);
    logs.connected(identity.deviceId, client.id, client.version, identity.expiresAtMs - nowMs());
    armExpiry(session);
    armHeartbeat(session, config.defaultHeartbeatMs);
    void presence.write({ deviceId: session.deviceId, token: session.token, online: true, fw, instance }).then((outcome) => {
      if (!outcome.ok) logs.presenceWriteFailed(session.deviceId, true, outcome.message);
    });
    feeds.acquire(identity.deviceId, instance);
  });

  aedes.on('clientDisconnect', (client: Client) => {
    const identity = identities.get(client);
    if (!identity) return;
    identities.delete(client);
    forgetPending(identity.deviceId, client);
    const session = sessions.get(client);
    if (!session) return;
    sessions.delete(client);
    session.ended = true;
    clearTimeout(session.expiryTimer);
    clearInterval(session.heartbeatTimer);
    logs.disconnected(session.deviceId, client.id, client.disconnectReasonCode === null ? 'client' : reasonName(client.disconnectReasonCode));
    void endSession(session, 'disconnected');
    if (feeds.release(session.deviceId)) {
      publishedCommands.delete(session.deviceId);
      for (const key of reconnectsHandled) if (key.startsWith(`${session.deviceId}/`)) reconnectsHandled.delete(key);
      // Drop the retained copies: they are rebuilt from RTDB when the device connects again.
      publishRetained(topics.state(session.deviceId), null);
      publishRetained(topics.config(session.deviceId), null);
    }
  });

  aedes.authorizePublish = (client, packet, done) => {
    const session = client ? sessions.get(client) : undefined;
    if (!client || !session) {
      done(new Error('not a device session'));
      return;
    }
    if (client.closed) {
      // The last will of a connection that died (aedes lib/client.js `close` → publishWill).
      if (packet.topic === topics.status(session.deviceId)) {
        const parsed = parsePayload('status', packet.payload as Buffer, config);
        const fw = !isRefused(parsed) && parsed.kind === 'status' ? parsed.value.fw : undefined;
        logs.lastWill(session.deviceId, packet.topic);
        void endSession(session, 'last-will', fw);
      }
      done(new Error('wills are written to the database, not routed'));
      return;
    }
    const route = authorizePublishTopic(session.deviceId, packet.topic);
    if (isRefused(route)) {
      countRefusal(session, packet.topic, route);
      refusePublish(client, packet, route, done);
      return;
    }
    const payload = parsePayload(route.kind, packet.payload as Buffer, config);
    if (isRefused(payload)) {
      countRefusal(session, packet.topic, payload);
      refusePublish(client, packet, payload, done);
      return;
    }
    packet.retain = false;
    const work = applyPublish(publishDeps, session, payload, route.commandId);
    track(session.deviceId, work);
    void work.then(
      (outcome) => {
        switch (outcome.kind) {
          case 'accepted':
            if (route.kind === 'readings') counters.readingsAccepted += 1;
            if (outcome.note === 'already-stored') logs.readingAlreadyStored(session.deviceId, packet.topic);
            if (outcome.note === 'token-renewed') {
              armExpiry(session);
              logs.tokenRenewed(session.deviceId, session.expiresAtMs - nowMs());
            }
            done(null);
            return;
          case 'refused':
            countRefusal(session, packet.topic, outcome.refusal);
            refusePublish(client, packet, outcome.refusal, done);
            return;
          case 'token-refused':
          case 'unavailable': {
            logs.writeFailed(session.deviceId, packet.topic, outcome.message);
            withholdPublish(packet);
            const reasonCode = outcome.kind === 'unavailable' ? ReasonCode.serverBusy : ReasonCode.notAuthorized;
            client.disconnect({ reasonCode, properties: { reasonString: outcome.message.slice(0, 200) } }, () => done(null));
            return;
          }
        }
      },
      (err: unknown) => {
        logs.writeFailed(session.deviceId, packet.topic, err instanceof Error ? err.message : String(err));
        withholdPublish(packet);
        client.disconnect({ reasonCode: ReasonCode.unspecifiedError }, () => done(null));
      },
    );
  };

  aedes.authorizeSubscribe = (client, sub: Subscription, done) => {
    const session = sessions.get(client);
    const deviceId = session?.deviceId ?? identities.get(client)?.deviceId;
    if (!deviceId) {
      done(null, null);
      return;
    }
    const refused = authorizeSubscribeFilter(deviceId, sub.topic);
    if (refused) {
      if (session) countRefusal(session, sub.topic, refused, true);
      done(null, null);
      return;
    }
    done(null, sub);
  };

  aedes.on('subscribe', (subscriptions: Subscription[], client: Client) => {
    const session = sessions.get(client);
    if (!session) return;
    if (subscriptions.some((s) => filterMatches(s.topic, topics.commands(session.deviceId)))) {
      publishCommands(session.deviceId, feeds.pending(session.deviceId));
    }
  });

  aedes.authorizeForward = (client, packet: AedesPublishPacket) => {
    const session = sessions.get(client);
    return session && isForwardable(session.deviceId, packet.topic) ? packet : null;
  };

  aedes.on('clientError', (client: Client, error: Error) => {
    logs.clientError(identities.get(client)?.deviceId ?? null, client.id, error.message);
  });

  return {
    aedes,
    stats: () => ({ sessions: sessions.size, devices: feeds.size, ...counters }),
    close: async () => {
      for (const session of sessions.values()) {
        clearTimeout(session.expiryTimer);
        clearInterval(session.heartbeatTimer);
      }
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      // Offline writes of the closed sessions, bounded: a database that is gone must not hold the exit.
      await Promise.race([presence.idle(), new Promise((resolve) => setTimeout(resolve, config.writeTimeoutMs).unref())]);
      feeds.close();
    },
  };
}
