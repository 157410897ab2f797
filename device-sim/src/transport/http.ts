// The HTTP client every REST request goes through: JSON in and out, a timeout on every request,
// and failures translated into the simulator's error vocabulary. Node's global fetch (undici)
// keeps connections alive and pools them per origin, which is what lets one process run a fleet.
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
  let response: Response;
  let text: string;
  try {
    response = await fetchImpl(request.url, {
      method: request.method,
      headers,
      body,
      signal: AbortSignal.timeout(request.timeoutMs),
    });
    text = await response.text();
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
  return { status: response.status, body: parsed };
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
