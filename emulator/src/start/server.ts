// The HTTP server of one emulator, with explicit states:
//   holding  → listening, client traffic held until `serve()` (the functions host subscribes first)
//   serving  → requests and upgrades are handled
//   closed   → the port is closed (restart() may listen again on the same port)
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { EmulatorCore } from '../core.js';
import { handleRequest, handleUpgrade, type Routes } from '../server/http.js';
import { LongPollServer } from '../server/long-poll.js';
import { acceptWebSocket } from '../server/websocket.js';
import { StartupError } from '../startup-error.js';

export type ServerState = 'holding' | 'serving' | 'closed';

export class EmulatorServer {
  private state: ServerState = 'holding';
  private readonly held: (() => void)[] = [];
  private readonly server: Server;
  readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 64 * 1024 * 1024 });
  private readonly sockets = new Set<WebSocket>();
  private readonly httpSockets = new Set<Socket>();
  private readonly longPoll: LongPollServer;
  readonly routes: Routes;
  port = 0;

  constructor(private readonly core: EmulatorCore) {
    this.longPoll = new LongPollServer(core);
    const sockets = this.sockets;
    const longPoll = this.longPoll;
    this.routes = {
      core,
      wss: this.wss,
      functionsHttp: null,
      onWebSocket(ws, req, url) {
        sockets.add(ws);
        ws.on('close', () => sockets.delete(ws));
        const lpSession = url.searchParams.get('s');
        if (lpSession !== null && longPoll.adoptUpgrade(lpSession, ws)) return;
        acceptWebSocket(core, ws, req, url);
      },
      longPoll: (req, res, url) => longPoll.handle(req, res, url),
    };
    this.server = createServer((req, res) => this.whenServing(() => handleRequest(this.routes, req, res)));
    this.server.on('upgrade', (req, socket, head) => this.whenServing(() => handleUpgrade(this.routes, req, socket as Socket, head)));
    this.server.on('clientError', (err, socket) => {
      core.logs.connectionError({ transport: 'http', error: err.message });
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
      else socket.destroy();
    });
    this.server.on('connection', (s) => {
      this.httpSockets.add(s);
      s.on('close', () => this.httpSockets.delete(s));
    });
  }

  get current(): ServerState {
    return this.state;
  }

  private whenServing(serve: () => void): void {
    if (this.state === 'serving') serve();
    else if (this.state === 'holding') this.held.push(serve);
  }

  /** Binds the port (traffic is held until serve()); throws a StartupError naming the address. */
  async listen(port: number): Promise<number> {
    try {
      this.port = await new Promise<number>((resolve, reject) => {
        this.server.once('error', reject);
        this.server.listen(port, this.core.config.host, () => {
          this.server.off('error', reject);
          const address = this.server.address();
          resolve(typeof address === 'object' && address !== null ? address.port : port);
        });
      });
    } catch (e) {
      throw new StartupError('listen', null, `cannot listen on ${this.core.config.host}:${port}: ${(e as Error).message}`, 'pick another --port, or 0 for any free port');
    }
    return this.port;
  }

  /** Starts handling traffic, first what was held. */
  serve(): void {
    this.state = 'serving';
    for (const serve of this.held.splice(0)) serve();
  }

  /** Fault injection and stop: drops every realtime connection; onDisconnect operations run. */
  dropConnections(): number {
    let n = 0;
    for (const ws of this.sockets) {
      ws.terminate();
      n++;
    }
    n += this.longPoll.dropAll();
    for (const s of this.httpSockets) s.destroy();
    return n;
  }

  /** Closes the port, dropping connections; held requests are dropped too. */
  close(): Promise<void> {
    const wasServing = this.state === 'serving';
    this.state = 'closed';
    this.held.length = 0;
    return new Promise((resolve) => {
      this.dropConnections();
      this.server.close(() => resolve());
      if (!wasServing) this.server.closeAllConnections();
    });
  }

  /** Listens again on the same port after close() (fault injection). */
  async reopen(): Promise<void> {
    await this.listen(this.port);
    this.state = 'serving';
  }

  /** Final stop: the port closes and the WebSocket server is released. */
  async stop(): Promise<void> {
    await this.close();
    this.wss.close();
  }
}
