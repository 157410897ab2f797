/**
 * Writes to the Realtime Database AS THE DEVICE: REST requests carrying the device's own ID token
 * (`?auth=<idToken>`, https://firebase.google.com/docs/database/rest/auth), so database.rules.json
 * judges every write exactly as if the device had made it and the gateway adds no authority.
 * Answers follow docs/device-sim.md ("The REST protocol"): 401 `Permission denied` is a rules
 * refusal, any other 401 a refused token, no answer or 5xx means unreachable (retried here with a
 * short backoff, then reported so the session can be closed and the device redelivers).
 */
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { siblingInstanceUrl } from '@firelink/model';

export type WriteOutcome =
  | { ok: true }
  | { ok: false; kind: 'denied' | 'token-refused' | 'bad-request' | 'unavailable'; message: string };

export interface DeviceWriterOptions {
  databaseOrigin: string;
  /** The default instance: where a write goes without an instance (a device without a directory entry). */
  namespace: string;
  emulated: boolean;
  timeoutMs: number;
  attempts: number;
  /** Most sockets kept open to the database (keep-alive); writes beyond wait for one. */
  connections: number;
  /** Replaces the HTTP client (unit tests). */
  request?: HttpRequest;
  /** Waits between attempts; injectable so unit tests need no real time. */
  sleep?: (ms: number) => Promise<void>;
}

export interface HttpReply {
  status: number;
  text: string;
}

export type HttpRequest = (method: string, url: string, body: string, timeoutMs: number) => Promise<HttpReply>;

/**
 * node:http(s) with a bounded keep-alive pool. Not the global `fetch`: its undici pool opens a
 * socket per concurrent request without limit and builds WHATWG streams, abort signals and
 * timers per call; at 1,000 writes/s (bench/fleet.mjs) that alone saturated the gateway's core
 * (connection churn, an O(sockets) pool scan, timeouts firing retries). A fixed pool of reused
 * sockets costs the database nothing per write and the gateway a fraction of the CPU.
 */
export function keepAliveRequest(connections: number): HttpRequest {
  const agents = {
    'http:': new HttpAgent({ keepAlive: true, maxSockets: connections }),
    'https:': new HttpsAgent({ keepAlive: true, maxSockets: connections }),
  };
  return (method, url, body, timeoutMs) =>
    new Promise((resolve, reject) => {
      const target = new URL(url);
      const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
      const req = send(target, {
        method,
        agent: target.protocol === 'https:' ? agents['https:'] : agents['http:'],
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      });
      // The whole exchange once a socket is assigned (a socket idle timeout misses a slow drip).
      // Time spent queued for a pool socket does not count: timing out queued writes would
      // only resend them into the same queue.
      let timer: NodeJS.Timeout | undefined;
      req.once('socket', () => {
        timer = setTimeout(() => req.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      });
      req.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      req.once('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.once('error', (err) => {
          clearTimeout(timer);
          reject(err);
        });
        res.once('end', () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') });
        });
      });
      req.end(body);
    });
}

export const SERVER_TIMESTAMP = { '.sv': 'timestamp' } as const;

export class DeviceWriter {
  private readonly request: HttpRequest;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: DeviceWriterOptions) {
    this.request = options.request ?? keepAliveRequest(options.connections);
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** `instance`: the device's shard (docs/scaling.md "How: the shard design"); default the configured namespace. */
  url(path: string, token: string, instance = this.options.namespace): string {
    const query = new URLSearchParams({ auth: token, print: 'silent' });
    let origin = this.options.databaseOrigin;
    if (this.options.emulated) query.set('ns', instance);
    else if (instance !== this.options.namespace) origin = siblingInstanceUrl(origin, instance);
    return `${origin}/${path}.json?${query.toString()}`;
  }

  put(path: string, value: unknown, token: string, instance?: string): Promise<WriteOutcome> {
    return this.send('PUT', path, value, token, instance);
  }

  patch(path: string, values: Record<string, unknown>, token: string, instance?: string): Promise<WriteOutcome> {
    return this.send('PATCH', path, values, token, instance);
  }

  private async send(method: 'PUT' | 'PATCH', path: string, body: unknown, token: string, instance: string | undefined): Promise<WriteOutcome> {
    let last: WriteOutcome = { ok: false, kind: 'unavailable', message: 'not attempted' };
    for (let attempt = 1; attempt <= this.options.attempts; attempt += 1) {
      last = await this.once(method, path, body, token, instance);
      if (last.ok || last.kind !== 'unavailable') return last;
      if (attempt < this.options.attempts) await this.sleep(200 * 2 ** (attempt - 1));
    }
    return last;
  }

  private async once(method: string, path: string, body: unknown, token: string, instance: string | undefined): Promise<WriteOutcome> {
    let res: HttpReply;
    try {
      res = await this.request(method, this.url(path, token, instance), JSON.stringify(body), this.options.timeoutMs);
    } catch (err) {
      return { ok: false, kind: 'unavailable', message: `${method} /${path}: ${err instanceof Error ? err.message : String(err)}` };
    }
    const text = res.text;
    if (res.status >= 200 && res.status < 300) return { ok: true };
    const detail = `${method} /${path}: HTTP ${res.status} ${text.slice(0, 200)}`;
    if (res.status === 401 && /permission denied/i.test(text)) return { ok: false, kind: 'denied', message: detail };
    if (res.status === 401 || res.status === 403) return { ok: false, kind: 'token-refused', message: detail };
    if (res.status >= 500) return { ok: false, kind: 'unavailable', message: detail };
    return { ok: false, kind: 'bad-request', message: detail };
  }
}
