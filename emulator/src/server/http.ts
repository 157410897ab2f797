// Routes one HTTP port: `/.ws` upgrades, `/.lp` long polling, emulator settings, the
// functions host's `/.functions/`, and REST on `*.json`.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocketServer } from 'ws';
import type { EmulatorCore } from '../core.js';
import { RtdbError } from '../errors.js';
import { CORS_HEADERS, MAX_REST_BODY_BYTES, PREFLIGHT_HEADERS, sendError, sendJson, urlOf, type RequestTarget } from './http-util.js';

export type { RequestTarget } from './http-util.js';
import { handleRest } from './rest.js';
import { handleSettings } from './settings.js';

export interface Routes {
  readonly core: EmulatorCore;
  readonly wss: WebSocketServer;
  onWebSocket(ws: import('ws').WebSocket, req: IncomingMessage, url: RequestTarget): void;
  longPoll(req: IncomingMessage, res: ServerResponse, url: RequestTarget): void;
  functionsHttp: ((req: IncomingMessage, res: ServerResponse) => Promise<void>) | null;
}

export function handleRequest(routes: Routes, req: IncomingMessage, res: ServerResponse): void {
  let url: RequestTarget;
  try {
    url = urlOf(req);
  } catch {
    return sendJson(res, 400, { error: 'Malformed request URL' });
  }
  const path = url.pathname;
  const declaredBytes = Number(req.headers['content-length'] ?? 0);
  if (declaredBytes > MAX_REST_BODY_BYTES) {
    // Answered before a byte of the body is read; the connection closes so it is never read.
    const body = JSON.stringify({ error: `Request body of ${declaredBytes} bytes is larger than ${MAX_REST_BODY_BYTES} bytes; RTDB accepts at most 256 MB per REST write` });
    res.writeHead(413, { ...CORS_HEADERS, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body), Connection: 'close' });
    res.end(body, () => req.socket.destroy());
    return;
  }
  if (req.method === 'OPTIONS') {
    res.writeHead(204, PREFLIGHT_HEADERS);
    res.end();
    return;
  }
  if (path === '/.lp') return routes.longPoll(req, res, url);
  if (path.startsWith('/.functions/')) {
    if (routes.functionsHttp === null) return sendJson(res, 404, { error: 'No functions host: start the emulator with --functions <dir>' });
    routes.functionsHttp(req, res).catch((e: unknown) => sendError(res, e));
    return;
  }
  if (path.startsWith('/.settings/') || path.startsWith('/.inspect/')) {
    void handleSettings(routes.core, req, res, url);
    return;
  }
  if (path.endsWith('.json')) {
    void handleRest(routes.core, req, res, url);
    return;
  }
  sendError(res, new RtdbError('not_found', `Not found: ${path}. REST paths end in .json (e.g. /devices.json?ns=<namespace>); WebSocket clients connect to /.ws`));
}

export function handleUpgrade(routes: Routes, req: IncomingMessage, socket: Duplex, head: Buffer): void {
  let url: RequestTarget;
  try {
    url = urlOf(req);
  } catch {
    socket.destroy();
    return;
  }
  if (url.pathname !== '/.ws') {
    socket.end('HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\n\r\nWebSocket endpoint is /.ws\n');
    return;
  }
  routes.wss.handleUpgrade(req, socket, head, (ws) => routes.onWebSocket(ws, req, url));
}
