// A Transport whose database can change under the device (docs/scaling.md "How: the shard
// design"): a `reconnect` command moves the device to another shard. Every part of the device
// keeps this one object; on a switch, writes already on their way finish on the old shard, new
// ones wait and go to the new shard, and every listen and connection listener moves along.
// The offline queue is untouched, so no reading is dropped or sent twice.
import type { Json, QueryOptions, SubscriptionHandlers, Transport, TransportKind } from './types.js';

interface Listen {
  path: string;
  handlers: SubscriptionHandlers;
  off: () => void;
}

interface ConnectionListener {
  listener: (online: boolean) => void;
  off: () => void;
}

export class SwitchableTransport implements Transport {
  private current: Transport;
  private currentUrl: string;
  private readonly listens = new Set<Listen>();
  private readonly connectionListeners = new Set<ConnectionListener>();
  private switching: Promise<void> | null = null;
  private inFlight = 0;
  private readonly idleWaiters = new Set<() => void>();

  constructor(initial: Transport, url: string) {
    this.current = initial;
    this.currentUrl = url;
  }

  get kind(): TransportKind {
    return this.current.kind;
  }

  /** The database URL the device is on now. */
  get url(): string {
    return this.currentUrl;
  }

  get(path: string, query?: QueryOptions): Promise<Json> {
    return this.run((t) => t.get(path, query));
  }

  set(path: string, value: unknown): Promise<void> {
    return this.run((t) => t.set(path, value));
  }

  update(path: string, values: Record<string, unknown>): Promise<void> {
    return this.run((t) => t.update(path, values));
  }

  remove(path: string): Promise<void> {
    return this.run((t) => t.remove(path));
  }

  onDisconnectUpdate(path: string, values: Record<string, unknown>): Promise<boolean> {
    return this.run((t) => t.onDisconnectUpdate(path, values));
  }

  subscribe(path: string, handlers: SubscriptionHandlers): () => void {
    const listen: Listen = { path, handlers, off: this.current.subscribe(path, handlers) };
    this.listens.add(listen);
    return () => {
      this.listens.delete(listen);
      listen.off();
    };
  }

  onConnectionChange(listener: (online: boolean) => void): () => void {
    const entry: ConnectionListener = { listener, off: this.current.onConnectionChange(listener) };
    this.connectionListeners.add(entry);
    return () => {
      this.connectionListeners.delete(entry);
      entry.off();
    };
  }

  /**
   * Moves to the database at `url`: waits (at most `drainMs`) for the operations in flight on the
   * old one, opens the new one, moves the listens and closes the old one. Operations started
   * meanwhile wait and run on the new database; when opening fails the device stays where it was.
   */
  async switchTo(url: string, open: () => Promise<Transport>, drainMs: number): Promise<void> {
    while (this.switching !== null) await this.switching;
    let release = () => {};
    this.switching = new Promise((resolve) => (release = resolve));
    try {
      await this.idle(drainMs);
      const next = await open();
      const old = this.current;
      for (const listen of this.listens) listen.off();
      for (const entry of this.connectionListeners) entry.off();
      this.current = next;
      this.currentUrl = url;
      for (const listen of this.listens) listen.off = next.subscribe(listen.path, listen.handlers);
      for (const entry of this.connectionListeners) entry.off = next.onConnectionChange(entry.listener);
      await old.close().catch(() => {});
    } finally {
      this.switching = null;
      release();
    }
  }

  async close(): Promise<void> {
    while (this.switching !== null) await this.switching;
    for (const listen of this.listens) listen.off();
    this.listens.clear();
    await this.current.close();
  }

  private async run<T>(op: (transport: Transport) => Promise<T>): Promise<T> {
    while (this.switching !== null) await this.switching;
    this.inFlight += 1;
    try {
      return await op(this.current);
    } finally {
      this.inFlight -= 1;
      if (this.inFlight === 0) for (const waiter of [...this.idleWaiters]) waiter();
    }
  }

  private idle(timeoutMs: number): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        this.idleWaiters.delete(finish);
        resolve();
      };
      const timer = setTimeout(finish, timeoutMs);
      this.idleWaiters.add(finish);
    });
  }
}
