// What a REST read shows (a GET, or the first event of a stream): shared by rest.ts and sse.ts.
import type { Credential } from '../auth.js';
import type { EmulatorCore } from '../core.js';
import { permissionDenied } from '../errors.js';
import type { Namespace } from '../namespace.js';
import { runQuery } from '../query/evaluate.js';
import { parseRestQuery } from '../query/rest-params.js';
import { loadsAllData, rulesQuery } from '../query/spec.js';
import type { Node } from '../tree/node.js';

export interface RestRequest {
  readonly ns: Namespace;
  readonly path: string[];
  readonly params: URLSearchParams;
  readonly credential: Credential;
}

/** Reads what a REST GET or stream shows: the node, filtered by the query params (rules checked). */
export function restRead(core: EmulatorCore, rest: RestRequest): Node | null {
  const { spec, ordered } = parseRestQuery(rest.params);
  if (!rest.ns.canRead(rest.credential.identity, rest.path, rulesQuery(spec, !ordered))) throw permissionDenied();
  if (spec.index.kind === 'child') core.warnIndex(rest.ns, rest.path, spec.index.path.join('/'));
  const node = rest.ns.db.read(rest.path);
  return loadsAllData(spec) ? node : runQuery(node, spec);
}
