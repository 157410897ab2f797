// REST streaming (docs/protocol.md §13): `put` / `patch` events relative to the streamed location,
// `keep-alive`, `cancel` when rules stop allowing the read, `auth_revoked` when the token
// expires (strict mode). Bare `\n` line endings and one write per event, for firmware parsers.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorCore } from '../core.js';
import { dedupePushes, pushesFor, type Listen } from '../listens.js';
import type { Subscriber } from '../namespace.js';
import { parseRestQuery } from '../query/rest-params.js';
import type { ReadGrant } from '../read-watch.js';
import { loadsAllData, rulesQuery } from '../query/spec.js';
import type { Commit } from '../tree/database.js';
import { contentFingerprint } from '../tree/fingerprint.js';
import { exportJson, type Node, plainJson, setOwn } from '../tree/node.js';
import { CORS_HEADERS } from './http-util.js';
import { restRead, type RestRequest } from './rest-read.js';

export const PERMISSION_DENIED_EVENT = 'Permission denied.';
export const AUTH_REVOKED_EVENT = 'Auth token is expired.';

class SseStream implements Subscriber {
  private readonly listen: Listen;
  private readonly keepAlive: NodeJS.Timeout;
  private expiry: NodeJS.Timeout | null = null;
  private grant: ReadGrant | null = null;
  private closed = false;
  private readonly exportFormat: boolean;

  constructor(
    private readonly core: EmulatorCore,
    private readonly rest: RestRequest,
    private readonly res: ServerResponse,
    initial: Node | null,
  ) {
    // The query is parsed once: re-checks reuse it (read-watch.ts).
    const { spec, ordered } = parseRestQuery(rest.params);
    // A query stream re-sends its whole result (tag set); a plain stream gets the written paths.
    const tag = loadsAllData(spec) ? null : 0;
    this.listen = { path: rest.path, spec, tag, lastHash: tag === null ? '' : contentFingerprint(initial) };
    this.exportFormat = rest.params.get('format') === 'export';
    this.keepAlive = setInterval(() => this.event('keep-alive', null), core.config.sseKeepAliveSeconds * 1000);
    this.keepAlive.unref();
    const expiresAtMs = rest.credential.expiresAtMs;
    if (expiresAtMs !== null && expiresAtMs - Date.now() < 2 ** 31 - 1) {
      this.expiry = setTimeout(() => this.end('auth_revoked', AUTH_REVOKED_EVENT), Math.max(0, expiresAtMs - Date.now()));
    }
    rest.ns.subscribers.add(this);
    rest.ns.listenIndex.add(this, rest.path);
    this.event('put', { path: '/', data: this.render(initial) });
    // Checked again here (synchronously after restRead, so the same data) to keep it under watch.
    this.grant = rest.ns.watchRead(rest.credential.identity, rest.path, rulesQuery(spec, !ordered), () => {
      this.grant = null;
      this.end('cancel', PERMISSION_DENIED_EVENT);
    });
    if (this.grant === null) this.end('cancel', PERMISSION_DENIED_EVENT);
  }

  private render(node: Node | null): unknown {
    return this.exportFormat ? exportJson(node) : plainJson(node);
  }

  private relative(path: readonly string[]): string {
    return '/' + path.slice(this.rest.path.length).join('/');
  }

  private event(name: string, data: unknown): void {
    if (this.closed) return;
    this.res.write(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
    // Slow consumer: past the bound, drop the stream rather than buffer without end.
    const buffered = this.res.writableLength;
    const limit = this.core.config.maxClientBufferBytes;
    if (buffered > limit) {
      this.core.logs.slowConsumerDropped({ transport: 'sse', ns: this.rest.ns.name, bufferedBytes: buffered, limitBytes: limit });
      this.close();
      this.res.destroy();
    }
  }

  onCommit(commit: Commit): void {
    if (this.closed) return;
    for (const push of dedupePushes(pushesFor(this.listen, commit, this.rest.ns.db))) {
      if (push.kind === 'put') {
        this.event('put', { path: this.relative(push.path), data: this.render(push.node) });
      } else {
        const data: Record<string, unknown> = {};
        for (const [rel, node] of push.children) setOwn(data, rel, this.render(node));
        this.event('patch', { path: this.relative(push.path), data });
      }
    }
  }

  end(name: string, data: string): void {
    this.event(name, data);
    this.close();
    this.res.end();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.keepAlive);
    if (this.expiry !== null) clearTimeout(this.expiry);
    this.rest.ns.subscribers.delete(this);
    this.rest.ns.listenIndex.remove(this, this.rest.path);
    if (this.grant !== null) this.rest.ns.releaseRead(this.grant);
    this.grant = null;
  }
}

export function openSseStream(core: EmulatorCore, rest: RestRequest, req: IncomingMessage, res: ServerResponse): void {
  const initial = restRead(core, rest); // throws permission_denied → 401 before streaming starts
  res.writeHead(200, {
    ...CORS_HEADERS,
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache',
    Connection: 'keep-alive',
  });
  res.socket?.setNoDelay(true);
  const stream = new SseStream(core, rest, res, initial);
  req.on('close', () => stream.close());
  res.on('close', () => stream.close());
}
