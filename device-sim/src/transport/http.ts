// The HTTP client every REST request goes through: JSON in and out, a timeout on every request,
// and failures translated into the simulator's error vocabulary. With Node's global fetch (the
// default) requests go through node:http(s) with a bounded keep-alive pool instead: undici's pool
// for an origin also holds the fleet's SSE streams (one connection each), and with a thousand of
// them every request's dispatch scans them all (undici PoolBase) and allocates web streams and
// abort signals, which cost a 1,000-device fleet more CPU than the database it drives. An injected
// fetch (tests) is used as given.
import http from 'node:http';
import https from 'node:https';
import { SimError } from '../errors.js';

export type FetchLike = typeof fetch;

export interface HttpRequest {
  method: 'GET' | 'PUT' | 'PATCH' | 'POST' | 'DELETE';
  url: string;
  body?: unknown;
  /** Raw form body (the securetoken endpoint takes `application/x-www-form-urlencoded`). */
  form?: Record<string, string>;
  headers?: Record<string, string>;
  timeoutMs: number;
  /** Database path, for error messages. */
  path?: string;
}

export interface HttpResponse {
  status: number;
  body: unknown;
}

/** Performs the request; throws `unreachable` only when no HTTP answer came back. */
export async function sendHttp(fetchImpl: FetchLike, request: HttpRequest): Promise<HttpResponse> {
  const headers: Record<string, string> = { ...request.headers };
  let body: string | undefined;
  if (request.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(request.form).toString();
  } else if (request.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(request.body);
  }
  let status: number;
  let text: string;
  try {
    if (fetchImpl === globalThis.fetch) {
      ({ status, text } = await requestText(request.method, request.url, headers, body, request.timeoutMs));
    } else {
      const response = await fetchImpl(request.url, {
        method: request.method,
        headers,
        body,
        signal: AbortSignal.timeout(request.timeoutMs),
      });
      status = response.status;
      text = await response.text();
    }
  } catch (error) {
    throw new SimError('unreachable', `cannot reach ${redact(request.url)}: ${describeNetworkError(error)}. Is the server running, and are the host and port right?`, {
      cause: error,
      ...(request.path === undefined ? {} : { path: request.path }),
    });
  }
  let parsed: unknown = text;
  if (text.length > 0) {
    try {
      parsed = JSON.parse(text);
    } catch {
      // Not JSON (a proxy's HTML error page, say): keep the text for the error message.
    }
  } else {
    parsed = null;
  }
  return { status, body: parsed };
}

/** Sockets kept per origin: enough for a fleet's concurrent writes, few enough to scan cheaply. */
const MAX_SOCKETS_PER_ORIGIN = 64;
const agents = {
  http: new http.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS_PER_ORIGIN }),
  https: new https.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS_PER_ORIGIN }),
};

/** One request over the keep-alive pool; rejects like fetch (errno in `cause`, TimeoutError). */
function requestText(
  method: HttpRequest['method'],
  url: string,
  headers: Record<string, string>,
  body: string | undefined,
  timeoutMs: number,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const secure = target.protocol === 'https:';
    const options = {
      method,
      headers: body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      agent: secure ? agents.https : agents.http,
    };
    const req = (secure ? https : http).request(target, options, (res) => {
      res.setEncoding('utf8');
      let text = '';
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      res.on('error', (error) => reject(new Error('request failed', { cause: error })));
    });
    const timer = setTimeout(() => {
      const timeout = new Error(`no answer within ${timeoutMs} ms`);
      timeout.name = 'TimeoutError';
      req.destroy(timeout);
    }, timeoutMs);
    req.on('close', () => clearTimeout(timer));
    req.on('error', (error) => reject(error.name === 'TimeoutError' ? error : new Error('request failed', { cause: error })));
    req.end(body);
  });
}

/** Best human summary of a fetch failure: undici hides the errno in `cause`. */
export function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } } | undefined)?.cause;
  if (cause?.code) return cause.code;
  if (error instanceof Error && error.name === 'TimeoutError') return 'timed out';
  if (error instanceof Error) return cause?.message ?? error.message;
  return String(error);
}

/** URLs carry `auth=<idToken>` and `key=`: never print them. */
export function redact(url: string): string {
  return url.replace(/([?&](?:auth|key)=)[^&]*/g, '$1…');
}

/** Text of an `{"error": ...}` body from RTDB (`{error: string}`) or Identity Toolkit (`{error: {message}}`). */
export function errorText(body: unknown): string {
  if (body && typeof body === 'object' && 'error' in body) {
    const error = (body as { error: unknown }).error;
    if (typeof error === 'string') return error;
    if (error && typeof error === 'object' && 'message' in error) return String((error as { message: unknown }).message);
  }
  return typeof body === 'string' ? body.slice(0, 200) : JSON.stringify(body);
}
