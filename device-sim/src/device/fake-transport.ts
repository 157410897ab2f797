// An in-memory Transport for unit tests of the device loop: a flat map of written paths, listens
// that fire on writes, a switch to simulate the network going away, and an optional "function"
// that maps each new reading to a state like the backend does.
import { SimError } from '../errors.js';
import { getAt, setAt, type Json } from '@firelink/model';
import type { QueryOptions, SubscriptionHandlers, Transport } from '../transport/types.js';

export class FakeTransport implements Transport {
  readonly kind = 'rest' as const;
  tree: Json = null;
  offline = false;
  /** Paths where writes are refused like the rules would. */
  denyWrite: (path: string, value: unknown) => boolean = () => false;
  /**
   * Paths whose write is stored and then refused: what a device sees when the SDK resends a write
   * the server had already stored (the create-once rule refuses the copy).
   */
  storeThenDeny: (path: string, value: unknown) => boolean = () => false;
  readonly writes: { method: string; path: string; value: unknown }[] = [];
  onWrite: (path: string, value: unknown) => void = () => {};
  private readonly subs = new Map<string, Set<SubscriptionHandlers>>();
  private readonly connection = new Set<(online: boolean) => void>();

  async get(path: string, _query?: QueryOptions): Promise<Json> {
    this.check(path);
    return getAt(this.tree, path);
  }

  async set(path: string, value: unknown): Promise<void> {
    this.write('set', path, value);
  }

  async update(path: string, values: Record<string, unknown>): Promise<void> {
    this.check(path);
    if (this.denyWrite(path, values)) throw new SimError('permission-denied', `permission denied: ${path}`, { path });
    this.writes.push({ method: 'update', path, value: values });
    for (const [key, value] of Object.entries(values)) this.tree = setAt(this.tree, `${path}/${key}`, resolve(value));
    this.notify();
  }

  async remove(path: string): Promise<void> {
    this.write('remove', path, null);
  }

  subscribe(path: string, handlers: SubscriptionHandlers): () => void {
    let set = this.subs.get(path);
    if (!set) this.subs.set(path, (set = new Set()));
    set.add(handlers);
    queueMicrotask(() => handlers.onValue(getAt(this.tree, path)));
    return () => set.delete(handlers);
  }

  async onDisconnectUpdate(): Promise<boolean> {
    return false;
  }

  onConnectionChange(listener: (online: boolean) => void): () => void {
    this.connection.add(listener);
    return () => this.connection.delete(listener);
  }

  async close(): Promise<void> {}

  setOffline(offline: boolean): void {
    this.offline = offline;
    for (const listener of this.connection) listener(!offline);
  }

  /** Writes as the backend would (no rules, no listeners' echo suppression). */
  serverWrite(path: string, value: Json): void {
    this.tree = setAt(this.tree, path, value);
    this.notify();
  }

  private write(method: string, path: string, value: unknown): void {
    this.check(path);
    if (this.storeThenDeny(path, value)) {
      this.tree = setAt(this.tree, path, resolve(value));
      this.notify();
      throw new SimError('permission-denied', `permission denied: ${path}`, { path });
    }
    if (this.denyWrite(path, value)) throw new SimError('permission-denied', `permission denied: ${path}`, { path });
    this.writes.push({ method, path, value });
    this.tree = setAt(this.tree, path, resolve(value));
    this.onWrite(path, value);
    this.notify();
  }

  private check(path: string): void {
    if (this.offline) throw new SimError('unreachable', `cannot reach the fake server for ${path}: ECONNREFUSED`, { path });
  }

  private notify(): void {
    for (const [path, handlers] of this.subs) for (const h of handlers) h.onValue(getAt(this.tree, path));
  }
}

function resolve(value: unknown): Json {
  return JSON.parse(JSON.stringify(value, (_k, v: unknown) => (v && typeof v === 'object' && '.sv' in v ? 1 : v))) as Json;
}
