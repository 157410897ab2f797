/**
 * The database URL of a sibling instance, in the form of a URL a client already has: a device
 * knows its directory (the default instance) and reads its shard's NAME there
 * (`deviceShards/{id}`), so its shard's URL is the directory's with the instance replaced
 * (docs/scaling.md "How: the shard design").
 */
import { ContractError, describeValue } from './errors.js';
import { assertInstanceName } from './shards.js';

const PRODUCTION_HOST = /^[a-z0-9][a-z0-9-]{0,62}\.(firebaseio\.com|[a-z]+-[a-z]+\d+\.firebasedatabase\.app)$/;

/**
 * `http://host:port/?ns=<name>` (the emulator: one namespace per instance) gives the same host
 * with `ns=<instance>`; `https://<name>.firebaseio.com` and
 * `https://<name>.<region>.firebasedatabase.app` (docs/database/web/start "database URL") give the
 * same form with `<instance>` as the first label. Anything else is refused with the forms it takes.
 */
export function siblingInstanceUrl(directoryUrl: string, instance: string): string {
  const name = assertInstanceName(instance);
  let url: URL;
  try {
    url = new URL(directoryUrl);
  } catch {
    throw badUrl(directoryUrl);
  }
  const ns = url.searchParams.get('ns');
  if (ns !== null) {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw badUrl(directoryUrl);
    return `${url.protocol}//${url.host}/?ns=${name}`;
  }
  if (url.protocol !== 'https:' || !PRODUCTION_HOST.test(url.hostname) || url.port !== '' || (url.pathname !== '/' && url.pathname !== '')) {
    throw badUrl(directoryUrl);
  }
  const rest = url.hostname.slice(url.hostname.indexOf('.'));
  return `https://${name}${rest}`;
}

function badUrl(value: string): ContractError {
  return new ContractError(
    'invalid-data',
    'directoryUrl',
    `directoryUrl must be a database URL: http://host:port/?ns=<instance> (emulator), https://<instance>.firebaseio.com ` +
      `or https://<instance>.<region>.firebasedatabase.app (got ${describeValue(value)})`,
  );
}
