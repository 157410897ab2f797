// Small HTTP helpers shared by REST, SSE and the emulator endpoints.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BAD_TOKEN, RtdbError } from '../errors.js';

/** Largest REST request body (RTDB: 256 MB per REST write). */
export const MAX_REST_BODY_BYTES = 256 * 1024 * 1024;

/** Sent on every response; the full set only on preflights (each header costs on the hot path). */
export const CORS_HEADERS: Record<string, string> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'ETag',
};

export const PREFLIGHT_HEADERS: Record<string, string> = {
  ...CORS_HEADERS,
  'Access-Control-Allow-Methods': 'GET, PUT, POST, PATCH, DELETE, OPTIONS',
  'Access-Control-Allow-Headers': 'Authorization, Content-Type, X-Firebase-ETag, If-Match, X-HTTP-Method-Override',
  'Access-Control-Max-Age': '86400',
};

export function sendText(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body), ...CORS_HEADERS, ...headers });
  res.end(body);
}

export function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  sendText(res, status, JSON.stringify(value), headers);
}

export function sendError(res: ServerResponse, error: unknown): void {
  if (error instanceof RtdbError) sendJson(res, error.httpStatus, { error: error.message });
  else sendJson(res, 500, { error: `Internal error: ${(error as Error).message}` });
}

export function readBody(req: IncomingMessage, limitBytes = MAX_REST_BODY_BYTES): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limitBytes) {
        failed = true;
        chunks.length = 0;
        reject(new RtdbError('too_big', `Request body larger than ${limitBytes} bytes; RTDB accepts at most 256 MB per REST write`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', (e) => {
      if (!failed) reject(e);
      failed = true;
    });
  });
}

export function parseJsonBody(text: string): unknown {
  if (text.trim().length === 0) throw new RtdbError('invalid_data', 'No data supplied.');
  try {
    return JSON.parse(text);
  } catch {
    // RTDB's own wording for an unparseable body.
    throw new RtdbError('invalid_data', "Invalid data; couldn't parse JSON object, array, or value.");
  }
}

/** Credential of a REST request: `auth=`, `access_token=`, or `Authorization: Bearer` (spec §2.4). */
export function restToken(req: IncomingMessage, params: URLSearchParams): string | null {
  const fromParam = params.get('auth') ?? params.get('access_token');
  if (fromParam !== null) return fromParam;
  const header = req.headers.authorization;
  if (header === undefined) return null;
  const match = /^(?:Bearer|Firebase)\s+(.+)$/i.exec(header.trim());
  if (match === null) throw new RtdbError('invalid_token', BAD_TOKEN);
  return match[1]!;
}

/** What handlers need of the request URL; cheaper than `new URL` on the hot path. */
export interface RequestTarget {
  readonly pathname: string;
  readonly searchParams: URLSearchParams;
}

export function urlOf(req: IncomingMessage): RequestTarget {
  const raw = req.url ?? '/';
  const q = raw.indexOf('?');
  if (q < 0) return { pathname: raw, searchParams: new URLSearchParams() };
  return { pathname: raw.slice(0, q), searchParams: new URLSearchParams(raw.slice(q + 1)) };
}
