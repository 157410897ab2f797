/**
 * RTDB → MQTT: one set of listeners per connected device on this instance (state, config,
 * commands), shared by that device's sessions and removed with the last one. Values go to a sink
 * that publishes them; the feeds keep only what RTDB holds (the last value seen), so any gateway
 * instance can serve any device.
 *
 * The listeners use the gateway's Admin SDK app on one WebSocket: one authenticated SSE stream per
 * device and node would cost the database a stream per node per device. They read only the
 * nodes the rules let that device read itself (`config`, `state`, `commands`: `auth.token.device
 * == $deviceId`), for a device whose ID token the gateway has verified; writes never use this app.
 */
import type { Database, DataSnapshot, Reference } from 'firebase-admin/database';
import { commandsPath, configPath, statePath } from '@firelink/model';

export type FeedNode = 'state' | 'config' | 'commands';

/** A command as published on `…/commands`: the stored command plus its id. */
export interface PendingCommand {
  id: string;
  type: string;
  args?: Record<string, unknown>;
  createdAt: number;
}

export interface FeedSink {
  state(deviceId: string, value: unknown): void;
  config(deviceId: string, value: unknown): void;
  commands(deviceId: string, pending: PendingCommand[]): void;
  error(deviceId: string, node: FeedNode, message: string): void;
}

/** Commands nobody has answered yet (no `ackAt`, no `result`), oldest first. */
export function pendingCommands(value: unknown): PendingCommand[] {
  if (value === null || typeof value !== 'object') return [];
  const out: PendingCommand[] = [];
  for (const [id, raw] of Object.entries(value as Record<string, unknown>)) {
    if (raw === null || typeof raw !== 'object') continue;
    const command = raw as Record<string, unknown>;
    if ('ackAt' in command || 'result' in command) continue;
    if (typeof command.type !== 'string' || typeof command.createdAt !== 'number') continue;
    const args = command.args !== null && typeof command.args === 'object' ? (command.args as Record<string, unknown>) : undefined;
    out.push({ id, type: command.type, ...(args ? { args } : {}), createdAt: command.createdAt });
  }
  return out.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
}

interface Feed {
  users: number;
  /** The shard the listeners are on. */
  instance: string;
  refs: Array<{ ref: Reference; callback: (snap: DataSnapshot) => void }>;
  pending: PendingCommand[];
  config: unknown;
}

export class DeviceFeeds {
  private readonly feeds = new Map<string, Feed>();

  constructor(
    /** The Admin SDK database of an instance (the device's shard). */
    private readonly dbFor: (instance: string) => Database,
    private readonly sink: FeedSink,
  ) {}

  acquire(deviceId: string, instance: string): void {
    const existing = this.feeds.get(deviceId);
    if (existing) {
      existing.users += 1;
      return;
    }
    const feed: Feed = { users: 1, instance, refs: [], pending: [], config: null };
    this.feeds.set(deviceId, feed);
    this.listen(deviceId, feed);
  }

  /** The device moved to another shard: its listeners move there (a `reconnect` command). */
  move(deviceId: string, instance: string): void {
    const feed = this.feeds.get(deviceId);
    if (!feed || feed.instance === instance) return;
    for (const { ref, callback } of feed.refs.splice(0)) ref.off('value', callback);
    feed.instance = instance;
    this.listen(deviceId, feed);
  }

  private listen(deviceId: string, feed: Feed): void {
    const db = this.dbFor(feed.instance);
    const listen = (node: FeedNode, path: string, onValue: (value: unknown) => void): void => {
      const ref = db.ref(path);
      const callback = (snap: DataSnapshot): void => onValue(snap.val());
      ref.on('value', callback, (err: Error) => this.sink.error(deviceId, node, err.message));
      feed.refs.push({ ref, callback });
    };
    listen('state', statePath(deviceId), (value) => this.sink.state(deviceId, value));
    listen('config', configPath(deviceId), (value) => {
      feed.config = value;
      this.sink.config(deviceId, value);
    });
    listen('commands', commandsPath(deviceId), (value) => {
      feed.pending = pendingCommands(value);
      this.sink.commands(deviceId, feed.pending);
    });
  }

  /** Returns true when this was the device's last user here (its listeners are gone). */
  release(deviceId: string): boolean {
    const feed = this.feeds.get(deviceId);
    if (!feed) return false;
    feed.users -= 1;
    if (feed.users > 0) return false;
    for (const { ref, callback } of feed.refs) ref.off('value', callback);
    this.feeds.delete(deviceId);
    return true;
  }

  /** The shard this device's listeners are on, if it has a feed here. */
  instance(deviceId: string): string | undefined {
    return this.feeds.get(deviceId)?.instance;
  }

  pending(deviceId: string): PendingCommand[] {
    return this.feeds.get(deviceId)?.pending ?? [];
  }

  config(deviceId: string): unknown {
    return this.feeds.get(deviceId)?.config ?? null;
  }

  get size(): number {
    return this.feeds.size;
  }

  close(): void {
    for (const [deviceId, feed] of this.feeds) {
      feed.users = 1;
      this.release(deviceId);
    }
  }
}
