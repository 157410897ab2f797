// The REST + SSE transport: the executable specification of the firmware's requests
// (https://firebase.google.com/docs/reference/rest/database). Every request is one of:
//   GET    {db}/{path}.json?ns={ns}&auth={idToken}[&orderBy=..&startAt=..]      read / query
//   PUT    {db}/{path}.json?ns={ns}&auth={idToken}&print=silent   body: JSON   set (204)
//   PATCH  {db}/{path}.json?ns={ns}&auth={idToken}&print=silent   body: JSON   update (204)
//   DELETE {db}/{path}.json?ns={ns}&auth={idToken}&print=silent                remove (204)
//   GET    {db}/{path}.json?ns={ns}&auth={idToken}  Accept: text/event-stream  listen (rest-stream.ts)
// `ns` is only sent to the emulator. A 401 whose error is not "Permission denied" means the
// token was refused: refresh it once and repeat the request.
import { SimError } from '../errors.js';
import { errorText, sendHttp, type FetchLike, type HttpRequest } from './http.js';
import { accessKind, permissionHint } from './permission-hint.js';
import { restQueryParams } from './query-params.js';
import { RestStream, type StreamOptions } from './rest-stream.js';
import type { Json, QueryOptions, SubscriptionHandlers, Transport } from './types.js';

export interface DatabaseLocation {
  /** `http://127.0.0.1:9000` or `https://<instance>.firebaseio.com`. */
  origin: string;
  /** Namespace for the emulator (`?ns=`); null for production hosts. */
  namespace: string | null;
}

export interface TokenSource {
  idToken(): Promise<string>;
  tokenRejected(rejectedToken: string): Promise<string>;
}

/** How requests authenticate: a device/user ID token, or the emulator's admin bearer `owner`. */
export type RestAuth = { kind: 'user'; tokens: TokenSource } | { kind: 'emulator-admin' } | { kind: 'none' };

export interface RestTransportOptions {
  location: DatabaseLocation;
  auth: RestAuth;
  fetch: FetchLike;
  requestTimeoutMs: number;
  stream: Omit<StreamOptions, 'open' | 'authRevoked'>;
  /** Called once by close() (the token keeper stops reopening this transport's streams). */
  onClose?: () => void;
}

export function databaseUrl(location: DatabaseLocation, path: string, params: Record<string, string>): string {
  const segments = path.split('/').filter((s) => s.length > 0).map(encodeURIComponent);
  const search = new URLSearchParams(params);
  if (location.namespace !== null) search.set('ns', location.namespace);
  const query = search.toString();
  return `${location.origin}/${segments.join('/')}.json${query ? `?${query}` : ''}`;
}

const PERMISSION_DENIED = /permission denied/i;

export function databaseError(status: number, body: unknown, method: string, path: string): SimError {
  const text = errorText(body);
  const where = `${method} /${path.replace(/^\/+/, '')}`;
  if (status === 401 && PERMISSION_DENIED.test(text)) {
    return new SimError('permission-denied', `permission denied: ${where}: ${permissionHint(path, accessKind(method))}.`, { path });
  }
  if (status === 401 || status === 403) return new SimError('token-rejected', `the database refused the credentials for ${where}: ${text}`, { path });
  if (status >= 500) return new SimError('unreachable', `server error ${status} for ${where}: ${text}`, { path });
  return new SimError('bad-request', `${where} failed with HTTP ${status}: ${text}`, { path });
}

export class RestTransport implements Transport {
  readonly kind = 'rest' as const;
  private readonly listeners = new Set<(online: boolean) => void>();
  private readonly streams = new Set<RestStream>();
  private online: boolean | null = null;

  constructor(private readonly options: RestTransportOptions) {}

  async get(path: string, query?: QueryOptions): Promise<Json> {
    return (await this.call('GET', path, undefined, query ? restQueryParams(query) : {})) as Json;
  }

  async set(path: string, value: unknown): Promise<void> {
    await this.call('PUT', path, value, { print: 'silent' });
  }

  async update(path: string, values: Record<string, unknown>): Promise<void> {
    await this.call('PATCH', path, values, { print: 'silent' });
  }

  async remove(path: string): Promise<void> {
    await this.call('DELETE', path, undefined, { print: 'silent' });
  }

  subscribe(path: string, handlers: SubscriptionHandlers): () => void {
    const stream = new RestStream(path, handlers, {
      ...this.options.stream,
      open: (signal) => this.openStream(path, signal, 0),
      authRevoked: async (token) => {
        if (token !== null && this.options.auth.kind === 'user') await this.options.auth.tokens.tokenRejected(token);
      },
      onOnline: (online) => {
        this.options.stream.onOnline?.(online);
        this.setOnline(online);
      },
    });
    this.streams.add(stream);
    stream.start();
    return () => {
      this.streams.delete(stream);
      stream.stop();
    };
  }

  /** Reopens every stream (after a token refresh, so streams never run on an old token). */
  reopenStreams(): void {
    for (const stream of this.streams) stream.reopen();
  }

  async onDisconnectUpdate(): Promise<boolean> {
    return false;
  }

  onConnectionChange(listener: (online: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.options.onClose?.();
    for (const stream of this.streams) stream.stop();
    this.streams.clear();
    this.listeners.clear();
  }

  private setOnline(online: boolean): void {
    if (this.online === online) return;
    this.online = online;
    for (const listener of this.listeners) listener(online);
  }

  private async credentials(): Promise<{ params: Record<string, string>; headers: Record<string, string>; token: string | null }> {
    const auth = this.options.auth;
    if (auth.kind === 'user') {
      const token = await auth.tokens.idToken();
      return { params: { auth: token }, headers: {}, token };
    }
    // The emulator treats `Bearer owner` as admin (firebase-tools databaseEmulator, rules-unit-testing).
    if (auth.kind === 'emulator-admin') return { params: {}, headers: { authorization: 'Bearer owner' }, token: null };
    return { params: {}, headers: {}, token: null };
  }

  private async call(method: HttpRequest['method'], path: string, body: unknown, params: Record<string, string>): Promise<unknown> {
    for (let attempt = 0; ; attempt += 1) {
      const creds = await this.credentials();
      let response;
      try {
        response = await sendHttp(this.options.fetch, {
          method,
          url: databaseUrl(this.options.location, path, { ...params, ...creds.params }),
          ...(body === undefined ? {} : { body }),
          headers: creds.headers,
          timeoutMs: this.options.requestTimeoutMs,
          path,
        });
      } catch (error) {
        this.setOnline(false);
        throw error;
      }
      if (response.status === 200 || response.status === 204) {
        this.setOnline(true);
        return response.status === 204 ? null : response.body;
      }
      const error = databaseError(response.status, response.body, method, path);
      this.setOnline(error.code !== 'unreachable');
      if (error.code === 'token-rejected' && attempt === 0 && creds.token !== null && this.options.auth.kind === 'user') {
        await this.options.auth.tokens.tokenRejected(creds.token);
        continue;
      }
      throw error;
    }
  }

  private async openStream(path: string, signal: AbortSignal, attempt: number): Promise<{ response: Response; token: string | null }> {
    const creds = await this.credentials();
    const response = await this.options.fetch(databaseUrl(this.options.location, path, creds.params), {
      headers: { ...creds.headers, accept: 'text/event-stream' },
      signal,
    });
    if (response.status === 401 && creds.token !== null && this.options.auth.kind === 'user') {
      const text = await response.text();
      if (!PERMISSION_DENIED.test(text) && attempt === 0) {
        await this.options.auth.tokens.tokenRejected(creds.token);
        return this.openStream(path, signal, attempt + 1);
      }
      throw databaseError(401, safeJson(text), 'GET (stream)', path);
    }
    if (response.status !== 200) {
      throw databaseError(response.status, safeJson(await response.text()), 'GET (stream)', path);
    }
    return { response, token: creds.token };
  }

}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
