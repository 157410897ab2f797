// The firebase JS SDK transport (v12, modular API, WebSocket). Each device gets its own app
// instance (unique name) so a fleet runs many independent connections and auth sessions in one
// process. The SDK refreshes tokens itself and re-sends pending writes and onDisconnect
// registrations after a reconnect (@firebase/database src/core/PersistentConnection.ts
// restoreState_); writes made while offline stay pending until then.
import { deleteApp, initializeApp, type FirebaseApp } from 'firebase/app';
import { connectAuthEmulator, getAuth, signInWithEmailAndPassword, type Auth } from 'firebase/auth';
import {
  connectDatabaseEmulator,
  endAt,
  equalTo,
  get,
  getDatabase,
  goOffline,
  goOnline,
  limitToFirst,
  limitToLast,
  onDisconnect,
  onValue,
  orderByChild,
  orderByKey,
  orderByValue,
  query,
  ref,
  remove,
  set,
  startAt,
  update,
  type Database,
  type QueryConstraint,
} from 'firebase/database';
import { SimError } from '../errors.js';
import { permissionHint, type AccessKind } from './permission-hint.js';
import type { Json, QueryOptions, SubscriptionHandlers, Transport } from './types.js';

export interface SdkTransportOptions {
  appName: string;
  projectId: string;
  apiKey: string;
  databaseUrl: string;
  databaseEmulatorHost: string | null;
  authEmulatorHost: string | null;
  email: string;
  password: string;
  /** Limit for one-shot operations (get, CRUD writes) so a dead link fails instead of hanging. */
  requestTimeoutMs: number;
  /** Force a token refresh this often (tests with compressed token lifetimes). */
  maxTokenLifetimeMs?: number | undefined;
  onTokenRefresh?: () => void;
}

function splitHost(hostPort: string): [string, number] {
  const i = hostPort.lastIndexOf(':');
  return [hostPort.slice(0, i), Number(hostPort.slice(i + 1))];
}

/** SDK errors → the simulator's vocabulary. Database errors carry the server's status code. */
export function sdkError(error: unknown, path?: string, kind: AccessKind = 'write'): SimError {
  if (error instanceof SimError) return error;
  const code = String((error as { code?: unknown }).code ?? '');
  const message = error instanceof Error ? error.message : String(error);
  const where = path === undefined ? {} : { path };
  if (/PERMISSION_DENIED/i.test(code) || /permission.denied/i.test(message)) {
    return new SimError('permission-denied', `permission denied: ${kind} /${path ?? ''}: ${permissionHint(path ?? '', kind)}.`, { ...where, cause: error });
  }
  if (/auth\/(invalid-credential|wrong-password|user-not-found|invalid-email|user-disabled|invalid-login-credentials|missing-password)/.test(code)) {
    return new SimError('bad-credentials', `sign-in was refused (${code}). Check the email and password of this device.`, { cause: error });
  }
  if (/network-request-failed|offline|unavailable/i.test(code + message)) {
    return new SimError('unreachable', `cannot reach the server: ${message}`, { ...where, cause: error });
  }
  return new SimError('bad-request', message, { ...where, cause: error });
}

export function sdkQueryConstraints(q: QueryOptions): QueryConstraint[] {
  const out: QueryConstraint[] = [];
  const o = q.orderBy;
  out.push(o.kind === 'key' ? orderByKey() : o.kind === 'value' ? orderByValue() : orderByChild(o.child));
  if (q.startAt !== undefined) out.push(startAt(q.startAt));
  if (q.endAt !== undefined) out.push(endAt(q.endAt));
  if (q.equalTo !== undefined) out.push(equalTo(q.equalTo));
  if (q.limitToFirst !== undefined) out.push(limitToFirst(q.limitToFirst));
  if (q.limitToLast !== undefined) out.push(limitToLast(q.limitToLast));
  return out;
}

/** One app and sign-in shared by the transports of one device (its shard, its directory). */
interface SdkSession {
  app: FirebaseApp;
  auth: Auth;
  open: number;
  /** Transports per Database: getDatabase(app, url) gives the same one for the same URL. */
  users: Map<Database, number>;
  refreshTimer: ReturnType<typeof setInterval> | null;
}

export class SdkTransport implements Transport {
  readonly kind = 'sdk' as const;
  private closed = false;

  private constructor(
    private readonly session: SdkSession,
    private readonly db: Database,
    private readonly options: SdkTransportOptions,
  ) {
    session.open += 1;
    session.users.set(db, (session.users.get(db) ?? 0) + 1);
  }

  /**
   * The same signed-in app on another instance (a shard or the directory): the SDK keeps one
   * Database per URL in an app (getDatabase(app, url)). Each transport closes on its own; the last
   * one to close signs out and deletes the app.
   */
  openSibling(databaseUrl: string, databaseEmulatorHost: string | null): SdkTransport {
    if (this.session.open === 0) throw new SimError('internal', 'openSibling after the app was deleted');
    const db = getDatabase(this.session.app, databaseUrl);
    // Only the first use of a Database may point it at the emulator; a cached one already is.
    if (databaseEmulatorHost) connectDatabaseEmulator(db, ...splitHost(databaseEmulatorHost));
    goOnline(db);
    return new SdkTransport(this.session, db, this.options);
  }

  /** Creates the app, signs in and returns the transport with the ID token's claims. */
  static async connect(options: SdkTransportOptions): Promise<{ transport: SdkTransport; uid: string; claims: Record<string, unknown> }> {
    const app = initializeApp({ apiKey: options.apiKey, projectId: options.projectId, databaseURL: options.databaseUrl }, options.appName);
    try {
      const auth = getAuth(app);
      if (options.authEmulatorHost) connectAuthEmulator(auth, `http://${options.authEmulatorHost}`, { disableWarnings: true });
      // By URL (not getDatabase(app)), so a later openSibling of the same URL finds this instance.
      const db = getDatabase(app, options.databaseUrl);
      if (options.databaseEmulatorHost) connectDatabaseEmulator(db, ...splitHost(options.databaseEmulatorHost));
      const credential = await signInWithEmailAndPassword(auth, options.email, options.password).catch((error: unknown) => {
        throw sdkError(error);
      });
      const token = await credential.user.getIdTokenResult();
      const session: SdkSession = { app, auth, open: 0, users: new Map(), refreshTimer: null };
      const transport = new SdkTransport(session, db, options);
      transport.startForcedRefresh();
      return { transport, uid: credential.user.uid, claims: token.claims as Record<string, unknown> };
    } catch (error) {
      await deleteApp(app).catch(() => {});
      throw error;
    }
  }

  async get(path: string, q?: QueryOptions): Promise<Json> {
    const target = q ? query(ref(this.db, path), ...sdkQueryConstraints(q)) : ref(this.db, path);
    const snapshot = await this.timed(get(target), path, 'read');
    return snapshot.val() as Json;
  }

  async set(path: string, value: unknown): Promise<void> {
    await set(ref(this.db, path), value).catch((error: unknown) => {
      throw sdkError(error, path);
    });
  }

  async update(path: string, values: Record<string, unknown>): Promise<void> {
    await update(ref(this.db, path), values).catch((error: unknown) => {
      throw sdkError(error, path);
    });
  }

  async remove(path: string): Promise<void> {
    await remove(ref(this.db, path)).catch((error: unknown) => {
      throw sdkError(error, path);
    });
  }

  subscribe(path: string, handlers: SubscriptionHandlers): () => void {
    return onValue(
      ref(this.db, path),
      (snapshot) => handlers.onValue(snapshot.val() as Json),
      (error) => handlers.onError(sdkError(error, path, 'read')),
    );
  }

  async onDisconnectUpdate(path: string, values: Record<string, unknown>): Promise<boolean> {
    await this.timed(onDisconnect(ref(this.db, path)).update(values), path);
    return true;
  }

  onConnectionChange(listener: (online: boolean) => void): () => void {
    return onValue(ref(this.db, '.info/connected'), (snapshot) => listener(snapshot.val() === true));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.session.open -= 1;
    const users = (this.session.users.get(this.db) ?? 1) - 1;
    this.session.users.set(this.db, users);
    if (this.session.open > 0) {
      // Another transport of this device still uses the app (a shard move): drop this link only.
      if (users === 0) goOffline(this.db);
      return;
    }
    if (this.session.refreshTimer !== null) clearInterval(this.session.refreshTimer);
    await this.session.auth.signOut().catch(() => {});
    await deleteApp(this.session.app);
  }

  private startForcedRefresh(): void {
    const everyMs = this.options.maxTokenLifetimeMs;
    if (everyMs === undefined) return;
    // Refresh at three quarters of the assumed lifetime; the SDK passes the new token to the
    // database connection through the auth token listener.
    const session = this.session;
    session.refreshTimer = setInterval(() => {
      void session.auth.currentUser?.getIdToken(true).then(() => this.options.onTokenRefresh?.(), () => {});
    }, Math.max(500, Math.floor(everyMs * 0.75)));
    session.refreshTimer.unref();
  }

  private async timed<T>(promise: Promise<T>, path: string, kind: AccessKind = 'write'): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new SimError('unreachable', `no answer from the database for /${path} within ${this.options.requestTimeoutMs} ms`, { path })),
        this.options.requestTimeoutMs,
      );
    });
    try {
      return await Promise.race([promise.catch((error: unknown) => Promise.reject(sdkError(error, path, kind))), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
