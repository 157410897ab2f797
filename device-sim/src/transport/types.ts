// The one interface both transports implement: the firebase JS SDK (WebSocket) and plain
// REST + SSE (what the firmware does). The device loop, the fleet and the CRUD commands only
// see this interface, so both transports must give the same results.
import type { SimError } from '../errors.js';
import type { Json, QueryOrder } from '@firelink/model';

export type { Json } from '@firelink/model';

export type TransportKind = 'sdk' | 'rest' | 'mqtt';

/** Query order: the toolkit's (model/src/rtdb/order.ts). */
export type OrderBy = QueryOrder;

/** Query bounds are primitives (RTDB orders only null, booleans, numbers and strings). */
export type QueryValue = string | number | boolean | null;

export interface QueryOptions {
  orderBy: OrderBy;
  startAt?: QueryValue;
  endAt?: QueryValue;
  equalTo?: QueryValue;
  limitToFirst?: number;
  limitToLast?: number;
}

export interface SubscriptionHandlers {
  /** The whole value at the path after every change (null when absent). */
  onValue(value: Json): void;
  /** The listen ended for good (permission denied) or hit a transient problem (it retries). */
  onError(error: SimError): void;
}

/** The RTDB server-value placeholder: the same JSON in the SDK and over REST. */
export const SERVER_TIMESTAMP = { '.sv': 'timestamp' } as const;

export interface Transport {
  readonly kind: TransportKind;
  get(path: string, query?: QueryOptions): Promise<Json>;
  /** Replaces the value (server values such as SERVER_TIMESTAMP may appear anywhere inside). */
  set(path: string, value: unknown): Promise<void>;
  /** Multi-path update relative to `path` (keys may contain `/`; null deletes). */
  update(path: string, values: Record<string, unknown>): Promise<void>;
  remove(path: string): Promise<void>;
  subscribe(path: string, handlers: SubscriptionHandlers): () => void;
  /**
   * Asks the server to apply `values` at `path` when this client disconnects. Only the SDK
   * can (REST has no connection to watch: the backend's heartbeat sweep covers REST devices).
   * Resolves to whether it was registered.
   */
  onDisconnectUpdate(path: string, values: Record<string, unknown>): Promise<boolean>;
  /** Connection state changes (SDK: `.info/connected`; REST: last request or stream outcome). */
  onConnectionChange(listener: (online: boolean) => void): () => void;
  close(): Promise<void>;
}
