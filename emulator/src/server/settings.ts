// Emulator-only endpoints (spec §2.7): rules per namespace, trigger registration, namespaces list.
import type { RequestTarget } from './http-util.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { restCredential } from '../auth.js';
import { namespaceOf, type EmulatorCore } from '../core.js';
import { permissionDenied, RtdbError } from '../errors.js';
import stripJsonComments from 'strip-json-comments';
import { readBody, restToken, sendError, sendJson, sendText } from './http-util.js';

function requireOwner(core: EmulatorCore, req: IncomingMessage, params: URLSearchParams): void {
  const credential = restCredential(restToken(req, params), core.tokenPolicy, Date.now());
  if (credential.identity.kind !== 'admin') throw permissionDenied();
}

export async function handleSettings(core: EmulatorCore, req: IncomingMessage, res: ServerResponse, url: RequestTarget): Promise<void> {
  try {
    const params = url.searchParams;
    const method = req.method ?? 'GET';
    const name = namespaceOf(params, req.headers.host);
    if (url.pathname === '/.settings/rules.json') {
      requireOwner(core, req, params);
      if (method === 'GET') {
        // The source as uploaded, comments kept (admin getRules); `format=strict` is what admin getRulesJSON asks for.
        const source = core.namespace(name).rulesSource;
        const body = params.get('format') === 'strict' ? stripJsonComments(source) : source;
        return sendText(res, 200, body, { 'Content-Type': 'application/json; charset=utf-8' });
      }
      if (method === 'PUT') {
        const source = await readBody(req, 16 * 1024 * 1024);
        try {
          core.setNamespaceRules(name, source);
        } catch (e) {
          core.logs.rulesRejected({ ns: name, source: 'rest', error: (e as Error).message });
          throw new RtdbError('invalid_data', (e as Error).message);
        }
        return sendJson(res, 200, { status: 'ok' });
      }
      throw new RtdbError('invalid_request', 'Use GET or PUT on /.settings/rules.json');
    }
    if (url.pathname === '/.settings/functionTriggers.json') {
      // firebase-tools registers triggers here; our functions host finds them itself.
      requireOwner(core, req, params);
      await readBody(req, 1024 * 1024);
      return sendJson(res, 200, { status: 'ok', note: 'rtdb-emulator: triggers come from the --functions host; registration ignored' });
    }
    if (url.pathname === '/.inspect/databases.json') {
      requireOwner(core, req, params);
      return sendJson(res, 200, [...core.namespaces.keys()].map((ns) => ({ name: ns })));
    }
    throw new RtdbError('not_found', `Unknown emulator endpoint ${url.pathname}`);
  } catch (e) {
    sendError(res, e);
  }
}
