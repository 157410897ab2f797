// The long-polling transport `/.lp` that browsers use after a failed WebSocket attempt
// (spec §1.15; core/realtime/BrowserPollConnection.ts, polling/PacketReceiver.ts), and its
// upgrade to a WebSocket (`/.ws?s=<session>`, core/realtime/Connection.ts startUpgrade_).
import type { RequestTarget } from './http-util.js';
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WebSocket } from 'ws';
import { namespaceOf, type EmulatorCore } from '../core.js';
import { encodeFrames, FrameDecoder } from './framing.js';
import { Session } from './session.js';

/** Polls are answered empty after this long; the client re-polls every 25 s anyway. */
const POLL_HOLD_MS = 20_000;
/** A connection with no poll for this long is treated as lost. */
const IDLE_TIMEOUT_MS = 60_000;

type Envelope = Record<string, unknown>;

function decodeSegment(text: string): string {
  // The SDK's web-safe base64: `-_` alphabet, `.` padding (@firebase/util base64Encode).
  return Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/').replace(/\./g, '='), 'base64').toString('utf8');
}

function script(res: ServerResponse, body: string): void {
  res.writeHead(200, { 'Content-Type': 'application/javascript; charset=utf-8', 'Cache-Control': 'no-cache', 'Access-Control-Allow-Origin': '*' });
  res.end(body);
}

class LongPollConnection {
  readonly id = randomBytes(4).toString('hex');
  readonly password = randomBytes(5).toString('hex');
  readonly session: Session;
  /** Envelopes waiting for the next poll, already serialised (their size bounds a slow client). */
  private queue: string[] = [];
  private queuedBytes = 0;
  private dropping = false;
  private readonly core: EmulatorCore;
  private held: ServerResponse | null = null;
  private holdTimer: NodeJS.Timeout | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private nextResponse = 0;
  private readonly segments = new Map<number, { total: number; data: string }>();
  private nextSegment = 0;
  /** The WebSocket of an upgrade in progress or done. */
  private upgraded: WebSocket | null = null;
  /** True once the client's `n` arrived: later envelopes go on the WebSocket. */
  private switched = false;
  private closed = false;
  private readonly unregister: () => void;

  constructor(
    private readonly server: LongPollServer,
    core: EmulatorCore,
    ns: string,
    host: string,
    readonly callbackId: string,
  ) {
    this.core = core;
    const namespace = core.namespace(ns);
    this.session = new Session({
      ns: namespace,
      host,
      tokenPolicy: core.tokenPolicy,
      logs: core.logs,
      transport: 'long-poll',
      send: (envelope) => this.send(envelope),
      onIndexMissing: (path, index) => core.warnIndex(namespace, path, index),
      whenDurable: (fn) => core.whenDurable(fn),
    });
    this.unregister = core.registerSession(this.session.id, () => this.close());
    this.touch();
  }

  private helpers(): string {
    const cb = JSON.stringify(this.callbackId);
    return (
      `function pLPCommand(c,a1,a2,a3,a4){var f=parent.window["pLPCommand"+${cb}];if(f){f(c,a1,a2,a3,a4);}}\n` +
      `function pRTLPCB(n,d){var f=parent.window["pRTLPCB"+${cb}];if(f){f(n,d);}}\n`
    );
  }

  startScript(): string {
    const handshake = this.session.handshake();
    this.nextResponse = 1;
    return this.helpers() + `pLPCommand("start",${JSON.stringify(this.id)},${JSON.stringify(this.password)});\npRTLPCB(0,${JSON.stringify([handshake])});\n`;
  }

  private send(envelope: Envelope): void {
    if (this.closed) return;
    if (this.switched && this.upgraded !== null) {
      for (const frame of encodeFrames(envelope)) this.upgraded.send(frame);
      return;
    }
    this.enqueue(envelope);
    if (this.held !== null) this.flush();
  }

  private enqueue(envelope: Envelope): void {
    if (this.dropping) return;
    const text = JSON.stringify(envelope);
    this.queue.push(text);
    this.queuedBytes += text.length;
    const limit = this.core.config.maxClientBufferBytes;
    if (this.queuedBytes > limit && !this.dropping) {
      this.core.logs.slowConsumerDropped({ transport: 'long-poll', ns: this.session.namespace.name, bufferedBytes: this.queuedBytes, limitBytes: limit });
      // Closed after this commit's pushes: its onDisconnect writes must not run inside them.
      this.dropping = true;
      this.queue = [];
      this.queuedBytes = 0;
      setImmediate(() => this.close());
    }
  }

  private touch(): void {
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    if (this.switched) return;
    this.idleTimer = setTimeout(() => this.close(), IDLE_TIMEOUT_MS);
    this.idleTimer.unref();
  }

  /** Answers the held poll with queued envelopes (or nothing). */
  private flush(): void {
    const res = this.held;
    if (res === null) return;
    this.held = null;
    if (this.holdTimer !== null) clearTimeout(this.holdTimer);
    this.holdTimer = null;
    if (this.queue.length === 0) return script(res, this.helpers());
    const batch = this.queue;
    this.queue = [];
    this.queuedBytes = 0;
    script(res, this.helpers() + `pRTLPCB(${this.nextResponse++},[${batch.join(',')}]);\n`);
  }

  poll(params: URLSearchParams, res: ServerResponse): void {
    this.touch();
    for (let i = 0; params.has(`seg${i}`); i++) {
      const seg = Number(params.get(`seg${i}`));
      const total = Number(params.get(`ts${i}`));
      const data = params.get(`d${i}`) ?? '';
      if (Number.isInteger(seg) && Number.isInteger(total) && total > 0) this.segments.set(seg, { total, data });
    }
    this.deliverSegments();
    if (this.held !== null) this.flush(); // the client expects the older poll to complete
    const drained = this.switched && this.queue.length === 0;
    if (this.closed || drained) return script(res, this.helpers() + 'pLPCommand("close");\n');
    this.held = res;
    res.on('close', () => {
      if (this.held === res) this.held = null;
    });
    if (this.queue.length > 0) return this.flush();
    this.holdTimer = setTimeout(() => this.flush(), POLL_HOLD_MS);
  }

  private deliverSegments(): void {
    for (;;) {
      const first = this.segments.get(this.nextSegment);
      if (first === undefined) return;
      const parts: string[] = [];
      for (let s = this.nextSegment; s < this.nextSegment + first.total; s++) {
        const part = this.segments.get(s);
        if (part === undefined) return;
        parts.push(part.data);
      }
      for (let s = this.nextSegment; s < this.nextSegment + first.total; s++) this.segments.delete(s);
      this.nextSegment += first.total;
      let message: unknown;
      try {
        message = JSON.parse(decodeSegment(parts.join('')));
      } catch {
        this.session.protocolError('long-poll segment is not base64 JSON');
        continue;
      }
      this.receive(message);
    }
  }

  private receive(message: unknown): void {
    const m = message as { t?: unknown; d?: { t?: unknown } };
    if (m?.t === 'c' && m.d?.t === 'n') {
      // The client moved its sending to the WebSocket: end this transport with `n` (spec §1.15).
      this.enqueue({ t: 'c', d: { t: 'n', d: {} } });
      this.flush();
      if (this.upgraded !== null) {
        this.switched = true;
        if (this.idleTimer !== null) clearTimeout(this.idleTimer);
      }
      return;
    }
    this.session.handle(message);
  }

  /** A WebSocket opened with `s=<this session>`: the client is upgrading. */
  adopt(ws: WebSocket): void {
    this.upgraded = ws;
    const decoder = new FrameDecoder();
    const sendWs = (envelope: Envelope): void => {
      for (const frame of encodeFrames(envelope)) ws.send(frame);
    };
    // Starts the client's upgrade handshake (onSecondaryControl_ answers `a` with pings).
    sendWs({ t: 'c', d: { t: 'a', d: {} } });
    ws.on('message', (raw) => {
      const result = decoder.push(String(raw));
      if (result.kind !== 'message') return;
      const m = result.value as { t?: unknown; d?: { t?: unknown } };
      if (m?.t === 'c') {
        if (m.d?.t === 'p') sendWs({ t: 'c', d: { t: 'o', d: {} } });
        return;
      }
      this.session.handle(result.value);
    });
    ws.on('close', () => {
      if (this.upgraded === ws && this.switched) this.close();
    });
  }

  /** The browser dropped its disconnect frame: lost, unless the session moved to the WebSocket. */
  primaryLost(): void {
    if (!this.switched) this.close();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    if (this.holdTimer !== null) clearTimeout(this.holdTimer);
    if (this.held !== null) {
      const res = this.held;
      this.held = null;
      script(res, this.helpers() + 'pLPCommand("close");\n');
    }
    this.upgraded?.terminate();
    this.unregister();
    this.session.close();
    this.server.forget(this);
  }
}

export class LongPollServer {
  private readonly connections = new Map<string, LongPollConnection>();

  constructor(private readonly core: EmulatorCore) {}

  handle(req: IncomingMessage, res: ServerResponse, url: RequestTarget): void {
    const params = url.searchParams;
    if (params.get('start') === 't') {
      const host = req.headers.host ?? `${this.core.config.host}:${this.core.config.port}`;
      this.core.endSession(params.get('ls'));
      const conn = new LongPollConnection(this, this.core, namespaceOf(params, req.headers.host), host, params.get('cb') ?? '');
      this.connections.set(conn.id, conn);
      return script(res, conn.startScript());
    }
    const conn = this.connections.get(params.get('id') ?? '');
    if (conn === undefined || conn.password !== params.get('pw')) {
      // Unknown or finished connection: tell the client to close and reconnect.
      const cb = JSON.stringify(params.get('cb') ?? '');
      return script(res, `var f=parent.window["pLPCommand"+${cb}];if(f){f("close");}\n`);
    }
    if (params.get('dframe') === 't') {
      // Held open; the browser drops it on unload or transport shutdown.
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.write('<html><body></body></html>');
      req.on('close', () => conn.primaryLost());
      return;
    }
    conn.poll(params, res);
  }

  adoptUpgrade(sessionId: string, ws: WebSocket): boolean {
    for (const conn of this.connections.values()) {
      if (conn.session.id === sessionId) {
        conn.adopt(ws);
        return true;
      }
    }
    return false;
  }

  forget(conn: LongPollConnection): void {
    this.connections.delete(conn.id);
  }

  dropAll(): number {
    const all = [...this.connections.values()];
    for (const conn of all) conn.close();
    return all.length;
  }
}
