// One realtime connection's protocol state (docs/protocol.md): credential, listens, onDisconnect queue.
// Transport-agnostic: WebSocket and long polling feed it parsed envelopes and carry what it
// sends. Every message is handled synchronously, so one connection's messages apply strictly
// in arrival order (docs/protocol.md §18) and a write's pushes go out before its ack (docs/protocol.md §18).
import { randomBytes } from 'node:crypto';
import { adminCredential, ANONYMOUS, userCredential, type Credential, type TokenPolicy } from '../auth.js';
import { EXPIRED_TOKEN, permissionDenied, RtdbError } from '../errors.js';
import { ListenIndex } from '../listen-index.js';
import { dedupePushes, listenData, pushesFor, type Listen, type Push } from '../listens.js';
import type { Logs } from '../logs.js';
import type { Namespace, Subscriber } from '../namespace.js';
import type { ReadGrant } from '../read-watch.js';
import { DEFAULT_QUERY, isPlainWireQuery, loadsAllData, parseWireQuery, rulesQuery } from '../query/spec.js';
import type { Commit, PendingWrite } from '../tree/database.js';
import { contentFingerprint } from '../tree/fingerprint.js';
import { isPrefix, pathProblem, splitPath } from '../tree/keys.js';
import { exportJson, setOwn } from '../tree/node.js';

type Envelope = Record<string, unknown>;
type Body = Record<string, unknown>;

interface QueuedDisconnect {
  readonly kind: 'set' | 'update';
  readonly path: string[];
  readonly data: unknown;
  readonly credential: Credential;
}

interface SessionListen extends Listen {
  /** The wire query exactly as received: a revocation `c` must carry it back (docs/protocol.md §18). */
  readonly rawQuery: unknown;
  /** Read permission under watch; null once released. */
  grant: ReadGrant | null;
  /** Position of its key among the session's listens (kept when the key is listened again). */
  order: number;
}

export interface SessionOptions {
  readonly ns: Namespace;
  readonly host: string;
  readonly tokenPolicy: TokenPolicy;
  readonly logs: Logs;
  readonly transport: string;
  readonly send: (envelope: Envelope) => void;
  readonly onIndexMissing?: (path: string[], index: string) => void;
  /** Defers a reply until the writes before it are durable (durable mode). */
  readonly whenDurable?: (fn: () => void) => void;
}

export const PROTOCOL_VERSION = '5';

function wirePath(path: readonly string[]): string {
  return '/' + path.join('/');
}

function listenKey(path: readonly string[], tag: number | null): string {
  return (tag === null ? 'default' : String(tag)) + ':' + path.join('/');
}

export class Session implements Subscriber {
  readonly id = randomBytes(16).toString('hex');
  private credential: Credential = ANONYMOUS;
  private readonly listens = new Map<string, SessionListen>();
  /**
   * The same listens by path, so a commit visits only those at, above or below a written path:
   * a dashboard holds thousands of listens on one connection, and checking every one against every
   * write of a busy fleet made each commit cost (listens x written paths).
   */
  private readonly listensByPath = new ListenIndex<SessionListen>();
  private nextOrder = 0;
  private disconnectQueue: QueuedDisconnect[] = [];
  private expiryTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(private readonly options: SessionOptions) {
    options.ns.subscribers.add(this);
  }

  get namespace(): Namespace {
    return this.options.ns;
  }

  /** The first message of every connection (docs/protocol.md §3): `h` echoes the request's Host header. */
  handshake(): Envelope {
    return { t: 'c', d: { t: 'h', d: { ts: Date.now(), v: PROTOCOL_VERSION, h: this.options.host, s: this.id } } };
  }

  handle(message: unknown): void {
    if (this.closed) return;
    if (typeof message !== 'object' || message === null || Array.isArray(message)) {
      return this.protocolError('message is not a JSON object');
    }
    const env = message as Envelope;
    if (env['t'] === 'c') return this.handleControl(env['d']);
    if (env['t'] !== 'd' || typeof env['d'] !== 'object' || env['d'] === null) {
      return this.protocolError('expected an envelope {"t":"d","d":{...}} or {"t":"c","d":{...}}');
    }
    const data = env['d'] as Envelope;
    const r = data['r'];
    const action = data['a'];
    const body = (typeof data['b'] === 'object' && data['b'] !== null ? data['b'] : {}) as Body;
    try {
      const reply = this.dispatch(String(action), body);
      if (typeof r === 'number') this.reply(r, 'ok', reply);
    } catch (e) {
      const err = e instanceof RtdbError ? e : new RtdbError('invalid_request', (e as Error).message);
      if (err.code !== 'permission_denied' && err.code !== 'datastale') {
        this.options.logs.badRequest({ transport: this.options.transport, ns: this.options.ns.name, action: String(action), error: err.message });
      }
      if (typeof r === 'number') this.reply(r, err.code, err.message);
    }
  }

  private reply(r: number, status: string, d: unknown): void {
    const send = (): void => this.options.send({ t: 'd', d: { r, b: { s: status, d } } });
    // Every reply takes this path, so replies keep their order behind a pending write's ack.
    if (this.options.whenDurable !== undefined) this.options.whenDurable(send);
    else send();
  }

  protocolError(message: string): void {
    this.options.logs.badRequest({ transport: this.options.transport, ns: this.options.ns.name, error: message });
    // Control `e` is only logged by the client (core/realtime/Connection.ts onControl_).
    this.options.send({ t: 'c', d: { t: 'e', d: `rtdb-emulator: ${message}` } });
  }

  private handleControl(d: unknown): void {
    const cmd = typeof d === 'object' && d !== null ? (d as Envelope)['t'] : undefined;
    // Always answer pings: idle clients rely on pongs to count as healthy (docs/protocol.md §18).
    if (cmd === 'p') this.options.send({ t: 'c', d: { t: 'o', d: {} } });
  }

  private dispatch(action: string, body: Body): unknown {
    switch (action) {
      case 's':
      case 'appcheck':
      case 'unappeck':
        return '';
      case 'auth':
        return this.auth(body);
      case 'gauth':
        return this.gauth(body);
      case 'unauth':
        this.setCredential(ANONYMOUS);
        return '';
      case 'q':
      case 'l':
        return this.listen(body);
      case 'n':
        this.unlisten(body);
        return '';
      case 'p':
        this.put(body);
        return '';
      case 'm':
        this.merge(body);
        return '';
      case 'g':
        return this.get(body);
      case 'o':
      case 'om':
        this.onDisconnect(action === 'o' ? 'set' : 'update', body);
        return '';
      case 'oc':
        this.cancelDisconnect(body);
        return '';
      default:
        throw new RtdbError('invalid_request', `Unknown action "${action}"`);
    }
  }

  private path(body: Body, allowPriority = false, allowInfo = false): string[] {
    const p = body['p'];
    if (typeof p !== 'string') throw new RtdbError('invalid_path', 'Missing path "p" (a string such as "/a/b")');
    const path = splitPath(p);
    // `.info/*` is synthesised by the client; a read that reaches us finds nothing there.
    if (allowInfo && path[0] === '.info') return path;
    const problem = pathProblem(path, allowPriority);
    if (problem !== null) throw new RtdbError('invalid_path', problem);
    return path;
  }

  private auth(body: Body): unknown {
    const cred = body['cred'];
    if (typeof cred !== 'string') throw new RtdbError('invalid_token', 'Could not parse auth token.');
    const credential = userCredential(cred, this.options.tokenPolicy, Date.now());
    this.setCredential(credential);
    const auth = credential.identity.kind === 'user' ? credential.identity.auth : null;
    const exp = credential.claims?.['exp'];
    return { auth, expires: typeof exp === 'number' ? exp : null };
  }

  private gauth(body: Body): unknown {
    if (typeof body['cred'] !== 'string') throw new RtdbError('invalid_token', 'Could not parse auth token.');
    const credential = adminCredential(body);
    this.setCredential(credential);
    return { auth: credential.identity.kind === 'user' ? credential.identity.auth : null, expires: null };
  }

  private setCredential(credential: Credential): void {
    this.credential = credential;
    if (this.expiryTimer !== null) clearTimeout(this.expiryTimer);
    this.expiryTimer = null;
    if (credential.expiresAtMs !== null) {
      const delayMs = Math.max(0, credential.expiresAtMs - Date.now());
      // setTimeout caps at ~24.8 days; longer-lived tokens simply never fire here.
      if (delayMs < 2 ** 31 - 1) this.expiryTimer = setTimeout(() => this.expireToken(), delayMs);
    }
    this.recheckReads();
  }

  /** Strict mode: the token expired while connected (docs/protocol.md §5 `ac`). */
  private expireToken(): void {
    if (this.closed) return;
    const auth = this.credential.identity.kind === 'user' ? this.credential.identity.auth : null;
    this.options.logs.tokenExpired({ ns: this.options.ns.name, uid: typeof auth?.uid === 'string' ? auth.uid : null });
    this.options.send({ t: 'd', d: { a: 'ac', b: { s: 'expired_token', d: EXPIRED_TOKEN } } });
    this.setCredential(ANONYMOUS);
  }

  private listen(body: Body): unknown {
    const path = this.path(body, false, true);
    const rawQuery = body['q'];
    const spec = parseWireQuery(rawQuery);
    const tagRaw = body['t'];
    const tag = typeof tagRaw === 'number' && !loadsAllData(spec) ? tagRaw : null;
    const key = listenKey(path, tag);
    const listen: SessionListen = { path, spec, tag, rawQuery, lastHash: '', grant: null, order: 0 };
    listen.grant = this.watch(key, listen);
    if (listen.grant === null) throw permissionDenied();
    if (spec.index.kind === 'child' && tag !== null) this.options.onIndexMissing?.(path, spec.index.path.join('/'));
    const data = listenData(this.options.ns.db, listen);
    // Only query windows are compared by fingerprint; a plain listen could mean the whole database.
    if (tag !== null) listen.lastHash = contentFingerprint(data);
    const previous = this.listens.get(key);
    if (previous === undefined) this.options.ns.listenIndex.add(this, path);
    else {
      this.release(previous);
      this.listensByPath.remove(previous, previous.path);
    }
    // A Map keeps a replaced key's place; so does the order pushes are computed in.
    listen.order = previous?.order ?? this.nextOrder++;
    this.listens.set(key, listen);
    this.listensByPath.add(listen, path);
    // Data before the ok, or the client fires a spurious null (docs/protocol.md §18).
    const b: Body = { p: wirePath(path), d: exportJson(data) };
    if (tag !== null) b['t'] = tag;
    this.options.send({ t: 'd', d: { a: 'd', b } });
    return {};
  }

  private unlisten(body: Body): void {
    const path = this.path(body, false, true);
    const tag = typeof body['t'] === 'number' ? body['t'] : null;
    const key = listenKey(path, tag);
    const listen = this.listens.get(key);
    if (listen === undefined) return;
    this.listens.delete(key);
    this.listensByPath.remove(listen, listen.path);
    this.release(listen);
    this.options.ns.listenIndex.remove(this, path);
  }

  /** Puts a listen's read under watch with the current identity; null when denied now. */
  private watch(key: string, listen: SessionListen): ReadGrant | null {
    const query = rulesQuery(listen.spec, isPlainWireQuery(listen.rawQuery));
    return this.options.ns.watchRead(this.credential.identity, listen.path, query, () => {
      listen.grant = null;
      this.revoke(key, listen);
    });
  }

  private release(listen: SessionListen): void {
    if (listen.grant !== null) this.options.ns.releaseRead(listen.grant);
    listen.grant = null;
  }

  /** The listen lost read access: drop it and tell the client (`c`, docs/protocol.md §5). */
  private revoke(key: string, listen: SessionListen): void {
    if (this.closed || this.listens.get(key) !== listen) return;
    this.listens.delete(key);
    this.listensByPath.remove(listen, listen.path);
    this.release(listen);
    this.options.ns.listenIndex.remove(this, listen.path);
    const b: Body = { p: wirePath(listen.path) };
    if (listen.tag !== null) b['q'] = [listen.rawQuery];
    this.options.send({ t: 'd', d: { a: 'c', b } });
  }

  private put(body: Body): void {
    const path = this.path(body, true);
    const ns = this.options.ns;
    const write = ns.db.prepareSet(path, body['d'], { nowMs: Date.now() });
    const hash = typeof body['h'] === 'string' ? body['h'] : undefined;
    ns.write(this.credential.identity, write, { hash });
  }

  private merge(body: Body): void {
    const path = this.path(body);
    const ns = this.options.ns;
    ns.write(this.credential.identity, ns.db.prepareUpdate(path, body['d'], { nowMs: Date.now() }));
  }

  private get(body: Body): unknown {
    const path = this.path(body, false, true);
    const rawQuery = body['q'];
    const spec = rawQuery === undefined ? DEFAULT_QUERY : parseWireQuery(rawQuery);
    if (!this.options.ns.canRead(this.credential.identity, path, rulesQuery(spec, isPlainWireQuery(rawQuery)))) throw permissionDenied();
    return exportJson(listenData(this.options.ns.db, { path, spec }));
  }

  private prepare(kind: 'set' | 'update', path: string[], data: unknown): PendingWrite {
    const db = this.options.ns.db;
    const ctx = { nowMs: Date.now() };
    return kind === 'set' ? db.prepareSet(path, data, ctx) : db.prepareUpdate(path, data, ctx);
  }

  private onDisconnect(kind: 'set' | 'update', body: Body): void {
    const path = this.path(body, kind === 'set');
    const data = body['d'];
    // Security is checked at registration (docs: offline-capabilities, docs/protocol.md §10).
    this.options.ns.checkWrite(this.credential.identity, this.prepare(kind, path, data));
    this.disconnectQueue.push({ kind, path, data, credential: this.credential });
  }

  private cancelDisconnect(body: Body): void {
    const path = this.path(body);
    this.disconnectQueue = this.disconnectQueue.filter((op) => !isPrefix(path, op.path));
  }

  onCommit(commit: Commit): void {
    if (this.closed || this.listens.size === 0) return;
    const hit = this.listensByPath.affected(commit.write.ops.map((op) => op.path));
    if (hit.size === 0) return;
    let pushes: Push[] = [];
    for (const listen of [...hit].sort((a, b) => a.order - b.order)) pushes.push(...pushesFor(listen, commit, this.options.ns.db));
    pushes = dedupePushes(pushes);
    for (const push of pushes) this.options.send(pushEnvelope(push));
  }

  /** The identity changed: every listen is checked again under the new one. */
  private recheckReads(): void {
    for (const [key, listen] of [...this.listens]) {
      this.release(listen);
      listen.grant = this.watch(key, listen);
      if (listen.grant === null) this.revoke(key, listen);
    }
  }

  /** Connection lost: run onDisconnect operations in registration order (docs/protocol.md §10). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.expiryTimer !== null) clearTimeout(this.expiryTimer);
    const ns = this.options.ns;
    ns.subscribers.delete(this);
    for (const op of this.disconnectQueue) {
      try {
        // Executed with the registering identity, without re-checking rules.
        ns.write(op.credential.identity, this.prepare(op.kind, op.path, op.data), { skipRules: true });
      } catch (e) {
        this.options.logs.badRequest({ transport: this.options.transport, ns: ns.name, action: 'onDisconnect', error: (e as Error).message });
      }
    }
    this.disconnectQueue = [];
    for (const listen of this.listens.values()) {
      this.release(listen);
      this.listensByPath.remove(listen, listen.path);
      ns.listenIndex.remove(this, listen.path);
    }
    this.listens.clear();
  }
}

export function pushEnvelope(push: Push): Envelope {
  const b: Body = { p: wirePath(push.path) };
  if (push.kind === 'put') {
    b['d'] = exportJson(push.node);
  } else {
    const d: Record<string, unknown> = {};
    for (const [rel, node] of push.children) setOwn(d, rel, exportJson(node));
    b['d'] = d;
  }
  if (push.tag !== null) b['t'] = push.tag;
  return { t: 'd', d: { a: push.kind === 'put' ? 'd' : 'm', b } };
}
