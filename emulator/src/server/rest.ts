// REST API (spec §2): GET / PUT / POST / PATCH / DELETE on `/<path>.json`, sharing data, rules
// and listeners with the socket clients. Streaming GETs are handed to sse.ts.
import type { RequestTarget } from './http-util.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { restCredential } from '../auth.js';
import { namespaceOf, type EmulatorCore } from '../core.js';
import { RtdbError } from '../errors.js';
import { checkOutputParams } from '../query/rest-params.js';
import { nodeHash } from '../tree/hash.js';
import { pathProblem } from '../tree/keys.js';
import { Branch, exportJson, type Node, plainJson, setOwn } from '../tree/node.js';
import { parseJsonBody, readBody, restToken, sendError, sendText } from './http-util.js';
import { openSseStream } from './sse.js';
import { restRead, type RestRequest } from './rest-read.js';

export type { RestRequest } from './rest-read.js';

const WRITE_METHODS = new Set(['PUT', 'PATCH', 'DELETE', 'POST']);


/** `/a/b.json` → ['a', 'b'] (segments URL-decoded). */
export function restPath(pathname: string): string[] {
  const trimmed = pathname.replace(/\.json$/, '');
  return trimmed
    .split('/')
    .filter((s) => s.length > 0)
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        throw new RtdbError('invalid_path', `Invalid path: segment "${s}" is not valid URL encoding`);
      }
    });
}

export function etagOf(node: Node | null): string {
  return node === null ? 'null_etag' : nodeHash(node);
}

function render(node: Node | null, params: URLSearchParams): unknown {
  return params.get('format') === 'export' ? exportJson(node) : plainJson(node);
}

function respond(res: ServerResponse, req: IncomingMessage, params: URLSearchParams, status: number, value: unknown, headers: Record<string, string> = {}): void {
  const print = params.get('print');
  if (print === 'silent') {
    res.writeHead(204, { 'Access-Control-Allow-Origin': '*', ...headers });
    res.end();
    return;
  }
  let body = print === 'pretty' ? JSON.stringify(value, null, 2) : JSON.stringify(value);
  const callback = params.get('callback');
  const extra: Record<string, string> = { ...headers };
  if (callback !== null && /^[A-Za-z_$][\w$.]*$/.test(callback)) {
    body = `${callback}(${body});`;
    extra['Content-Type'] = 'application/javascript; charset=utf-8';
  }
  const download = params.get('download');
  // Header-safe file name: quotes, backslashes, control and non-ASCII characters become `_`.
  if (download !== null && req.method === 'GET') extra['Content-Disposition'] = `attachment; filename="${download.replace(/["\\\u0000-\u001f\u007f-\uffff]/g, '_')}"`;
  sendText(res, status, body, extra);
}

export async function handleRest(core: EmulatorCore, req: IncomingMessage, res: ServerResponse, url: RequestTarget): Promise<void> {
  try {
    const params = url.searchParams;
    let method = (req.method ?? 'GET').toUpperCase();
    const override = req.headers['x-http-method-override'] ?? params.get('x-http-method-override');
    if (method === 'POST' && typeof override === 'string' && WRITE_METHODS.has(override.toUpperCase())) method = override.toUpperCase();
    checkOutputParams(params);
    const path = restPath(url.pathname);
    const problem = pathProblem(path, method !== 'GET');
    if (problem !== null) throw new RtdbError('invalid_path', problem);
    const credential = restCredential(restToken(req, params), core.tokenPolicy, Date.now());
    const rest: RestRequest = { ns: core.namespace(namespaceOf(params, req.headers.host)), path, params, credential };
    switch (method) {
      case 'GET':
        if ((req.headers.accept ?? '').includes('text/event-stream')) return openSseStream(core, rest, req, res);
        return get(core, rest, req, res);
      case 'PUT':
      case 'POST':
      case 'PATCH':
      case 'DELETE':
        return await write(core, rest, method, req, res);
      default:
        throw new RtdbError('invalid_request', `Method ${method} is not supported; use GET, PUT, POST, PATCH or DELETE`);
    }
  } catch (e) {
    sendError(res, e);
  }
}

function get(core: EmulatorCore, rest: RestRequest, req: IncomingMessage, res: ServerResponse): void {
  const node = restRead(core, rest);
  const headers: Record<string, string> = {};
  if (req.headers['x-firebase-etag'] === 'true') headers['ETag'] = etagOf(node);
  if (rest.params.get('shallow') === 'true') {
    // A leaf is returned as is; an object as key → true (the limit, if any, is ignored; spec §2.3).
    if (node instanceof Branch) {
      const shallow: Record<string, unknown> = {};
      for (const key of node.sortedKeys()) setOwn(shallow, key, true);
      return respond(res, req, rest.params, 200, shallow, headers);
    }
  }
  respond(res, req, rest.params, 200, render(node, rest.params), headers);
}

async function write(core: EmulatorCore, rest: RestRequest, method: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const text = method === 'DELETE' ? '' : await readBody(req);
  const data = method === 'DELETE' ? null : parseJsonBody(text);
  const { ns, path, params } = rest;
  // In durable mode the answer waits until the write is in the journal on disk.
  const ack: typeof respond = (...args) => core.whenDurable(() => respond(...args));
  const ifMatch = req.headers['if-match'];
  if (typeof ifMatch === 'string') {
    const current = ns.db.read(path);
    const etag = etagOf(current);
    if (etag !== ifMatch) {
      return ack(res, req, params, 412, render(current, params), { ETag: etag });
    }
  }
  const nowMs = Date.now();
  const options = { disableTriggers: params.get('disableTriggers') === 'true' };
  const identity = rest.credential.identity;
  if (method === 'POST') {
    const name = core.pushIds.next(nowMs);
    const target = [...path, name];
    ns.write(identity, ns.db.prepareSet(target, data, { nowMs }), options);
    return ack(res, req, params, 200, { name });
  }
  if (method === 'PATCH') {
    const pending = ns.db.prepareUpdate(path, data, { nowMs });
    ns.write(identity, pending, options);
    const written: Record<string, unknown> = {};
    for (const [i, rel] of (pending.mergeKeys ?? []).entries()) setOwn(written, rel.join('/'), render(pending.ops[i]!.node, params));
    return ack(res, req, params, 200, written);
  }
  const pending = ns.db.prepareSet(path, data, { nowMs });
  ns.write(identity, pending, options);
  const headers: Record<string, string> = {};
  if (req.headers['x-firebase-etag'] === 'true') headers['ETag'] = etagOf(ns.db.read(pending.basePath));
  if (method === 'DELETE') return ack(res, req, params, 200, null, headers);
  const last = path[path.length - 1];
  const value = last === '.priority' ? data : render(pending.ops[0]!.node, params);
  ack(res, req, params, 200, value, headers);
}
