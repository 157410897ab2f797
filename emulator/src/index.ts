// Public API: startEmulator(options) → a running Java-free RTDB emulator on one HTTP port.
import { readFileSync, watch, writeFileSync, type FSWatcher } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { ADMIN } from './auth.js';
import { loadConfig, type EmulatorConfig, type EmulatorOptions } from './config.js';
import type { CommitSource } from './contracts.js';
import { EmulatorCore } from './core.js';
import { Logs, stderrSink } from './logs.js';
import { handleRequest, handleUpgrade, type Routes } from './server/http.js';
import { LongPollServer } from './server/long-poll.js';
import { acceptWebSocket } from './server/websocket.js';
import { exportJson } from './tree/node.js';

export type { EmulatorOptions } from './config.js';
export type { CommitSource, CommittedWrite } from './contracts.js';

export interface RunningEmulator {
  /** `http://host:port` — REST base and the value for FIREBASE_DATABASE_EMULATOR_HOST (without scheme: `hostPort`). */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** `host:port`, as FIREBASE_DATABASE_EMULATOR_HOST wants it. */
  readonly hostPort: string;
  readonly config: EmulatorConfig;
  /** Subscribe to every committed write (what the functions host uses). */
  readonly commits: CommitSource;
  /** Fault injection: drops every realtime connection (WebSocket, long poll, SSE) as a network loss would. onDisconnect ops run. */
  dropConnections(): number;
  /** Fault injection: stops listening for `downMs`, dropping all connections, then listens again on the same port. Data is kept. */
  restart(downMs?: number): Promise<void>;
  /** Current data of a namespace in export format (default: the configured namespace). */
  exportData(namespace?: string): unknown;
  /** Replaces a namespace's data (export format) as an owner write without triggers. */
  importData(data: unknown, namespace?: string): void;
  stop(): Promise<void>;
}

interface FunctionsHostHandle {
  handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void>;
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/** How long stop() lets queued function events finish before closing the port. */
const STOP_FUNCTIONS_DRAIN_MS = 2_000;

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const startedAt = performance.now();
  const config = loadConfig(options);
  const logs = new Logs(options.log ?? stderrSink);
  const core = new EmulatorCore(config, logs);

  const importData = (data: unknown, namespace = config.namespace): void => {
    const ns = core.namespace(namespace);
    ns.write(ADMIN.identity, ns.db.prepareSet([], data, { nowMs: Date.now() }), { disableTriggers: true });
  };
  if (config.importFile !== null) {
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(config.importFile, 'utf8')) as unknown;
    } catch (e) {
      throw new Error(`rtdb-emulator: cannot import ${config.importFile}: ${(e as Error).message} (expected export-format JSON, as GET /.json?format=export returns)`);
    }
    importData(data);
    logs.importDone({ ns: config.namespace, file: config.importFile });
  }

  let rulesWatcher: FSWatcher | null = null;
  if (config.rules !== null) {
    const file = config.rules;
    let lastSource = readFileSync(file, 'utf8');
    core.setFileRules(lastSource, file); // a bad file at start is fatal
    let timer: NodeJS.Timeout | null = null;
    // Watch the folder, not the file: editors that save by rename replace the file's inode.
    rulesWatcher = watch(dirname(resolve(file)), (_event, name) => {
      if (name !== null && name !== basename(file)) return;
      if (timer !== null) clearTimeout(timer);
      timer = setTimeout(() => {
        let source: string;
        try {
          source = readFileSync(file, 'utf8');
        } catch {
          return; // mid-rename or deleted: keep the previous rules until the file is back
        }
        if (source === lastSource) return;
        try {
          core.setFileRules(source, file);
          lastSource = source;
        } catch (e) {
          logs.rulesRejected({ source: file, error: (e as Error).message });
        }
      }, 50);
    });
  }

  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 64 * 1024 * 1024 });
  const sockets = new Set<WebSocket>();
  const longPoll = new LongPollServer(core);
  const routes: Routes = {
    core,
    wss,
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

  // The functions host needs our port before it can start, so the server listens first; until the
  // host has subscribed to commits, client traffic waits, else a write accepted in that window
  // (a device reconnecting to a restarted emulator) would never fire its triggers.
  let accepting = config.functions === null;
  let startAccepting = (): void => {};
  const accepted = new Promise<void>((resolve) => (startAccepting = resolve));
  const whenAccepting = (serve: () => void): void => {
    if (accepting) serve();
    else void accepted.then(serve);
  };
  const server = createServer((req, res) => whenAccepting(() => handleRequest(routes, req, res)));
  server.on('upgrade', (req, socket, head) => whenAccepting(() => handleUpgrade(routes, req, socket as Socket, head)));
  server.on('clientError', (err, socket) => {
    logs.connectionError({ transport: 'http', error: err.message });
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
    else socket.destroy();
  });
  const httpSockets = new Set<Socket>();
  server.on('connection', (s) => {
    httpSockets.add(s);
    s.on('close', () => httpSockets.delete(s));
  });

  const listen = (port: number): Promise<number> =>
    new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, config.host, () => {
        server.off('error', reject);
        const address = server.address();
        resolve(typeof address === 'object' && address !== null ? address.port : port);
      });
    });
  let port: number;
  try {
    port = await listen(config.port);
  } catch (e) {
    rulesWatcher?.close();
    throw new Error(`rtdb-emulator: cannot listen on ${config.host}:${config.port}: ${(e as Error).message} (pick another --port, or 0 for any free port)`);
  }
  const hostPort = `${config.host}:${port}`;

  let functionsHost: FunctionsHostHandle | null = null;
  try {
    if (config.functions !== null) {
      const { startFunctionsHost } = await import('./functions/index.js');
      functionsHost = await startFunctionsHost({
        functionsDir: config.functions,
        projectId: config.projectId,
        databaseHost: hostPort,
        commits: core,
        defaultNamespace: config.namespace,
        ...(config.authEmulatorHost !== null ? { authEmulatorHost: config.authEmulatorHost } : {}),
        log: options.log ?? ((line: string) => process.stderr.write(line + '\n')),
      });
      const host = functionsHost;
      routes.functionsHttp = (req, res) => host.handleHttp(req, res);
    }
    accepting = true;
    startAccepting();
  } catch (e) {
    // Never leave a half-started emulator listening (nor requests held for it).
    rulesWatcher?.close();
    for (const socket of httpSockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    throw e;
  }

  const dropConnections = (): number => {
    let n = 0;
    for (const ws of sockets) {
      ws.terminate();
      n++;
    }
    n += longPoll.dropAll();
    for (const s of httpSockets) s.destroy();
    return n;
  };

  const closeServer = (): Promise<void> =>
    new Promise((resolve) => {
      dropConnections();
      server.close(() => resolve());
    });

  let stopped = false;
  logs.ready(`http://${hostPort}`, Math.round(performance.now() - startedAt));
  return {
    url: `http://${hostPort}`,
    host: config.host,
    port,
    hostPort,
    config,
    commits: core,
    dropConnections,
    async restart(downMs = 100) {
      await closeServer();
      await new Promise((r) => setTimeout(r, downMs));
      await listen(port);
    },
    exportData(namespace = config.namespace) {
      return exportJson(core.namespace(namespace).db.read([]));
    },
    importData,
    async stop() {
      if (stopped) return;
      stopped = true;
      rulesWatcher?.close();
      // Queued events finish while their handlers can still write back; then the port closes
      // before the host goes, so no write is accepted after its triggers stopped firing.
      if (functionsHost !== null) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([functionsHost.idle(), new Promise<void>((resolve) => (timer = setTimeout(resolve, STOP_FUNCTIONS_DRAIN_MS)))]);
        clearTimeout(timer);
      }
      await closeServer();
      wss.close();
      if (functionsHost !== null) await functionsHost.stop();
      if (config.exportFile !== null) {
        const namespaces = 1;
        writeFileSync(config.exportFile, JSON.stringify(exportJson(core.namespace(config.namespace).db.read([])), null, 2));
        logs.exportDone({ file: config.exportFile, namespaces });
      }
      logs.stopped();
    },
  };
}
