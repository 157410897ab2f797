// Public API: startEmulator(options) → a running Java-free RTDB emulator on one HTTP port.
// The parts: persistence (import/export, data dir), the rules file, the server, the functions host.
import { loadConfig, type EmulatorConfig, type EmulatorOptions } from './config.js';
import type { CommitSource } from './contracts.js';
import { EmulatorCore } from './core.js';
import type { FolderWatch } from './functions/watch.js';
import { Logs, stderrSink } from './logs.js';
import { startFunctionsGate, type FunctionsGate } from './start/functions-gate.js';
import { importInto, openPersistence, type Persistence } from './start/persistence.js';
import { loadRulesFile } from './start/rules-file.js';
import { EmulatorServer } from './start/server.js';
import { StartupError } from './startup-error.js';
import { exportJson } from './tree/node.js';

export type { EmulatorOptions } from './config.js';
export type { CommitSource, CommittedWrite } from './contracts.js';
export { StartupError, type StartupErrorCode } from './startup-error.js';

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

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const startedAt = performance.now();
  const config = loadConfig(options);
  const log = options.log ?? stderrSink;
  const core = new EmulatorCore(config, new Logs(log));
  const persistence = await openPersistence(core, config);
  let rulesWatch: FolderWatch | null = null;
  const server = new EmulatorServer(core);
  let functions: FunctionsGate | null = null;
  try {
    if (config.rules !== null) rulesWatch = loadRulesFile(core, config.rules);
    // The functions host needs our port before it can start, so the server listens first and
    // holds client traffic until the host has subscribed to commits: a write accepted in that
    // window (a device reconnecting to a restarted emulator) would never fire its triggers.
    const port = await server.listen(config.port);
    functions = await startFunctions(core, config, `${config.host}:${port}`, log, persistence);
    if (functions !== null) server.routes.functionsHttp = (req, res) => functions!.handleHttp(req, res);
    server.serve();
  } catch (e) {
    // Never leave a half-started emulator listening, nor a journal open.
    rulesWatch?.close();
    await server.stop();
    await persistence.close();
    throw e;
  }
  const hostPort = `${config.host}:${server.port}`;
  core.logs.ready(`http://${hostPort}`, Math.round(performance.now() - startedAt));
  let stopping: Promise<void> | null = null;
  return {
    url: `http://${hostPort}`,
    host: config.host,
    port: server.port,
    hostPort,
    config,
    commits: core,
    dropConnections: () => server.dropConnections(),
    async restart(downMs = 100) {
      await server.close();
      await new Promise((r) => setTimeout(r, downMs));
      await server.reopen();
    },
    exportData: (namespace = config.namespace) => exportJson(core.namespace(namespace).db.read([])),
    importData: (data, namespace = config.namespace) => importInto(core, data, namespace),
    stop() {
      stopping ??= (async () => {
        rulesWatch?.close();
        // Queued events finish while their handlers can still write back; then the port closes
        // before the host goes, so no write is accepted after its triggers stopped firing.
        if (functions !== null) await functions.drain();
        await server.stop();
        if (functions !== null) await functions.stop();
        await persistence.close();
        core.logs.stopped();
      })();
      return stopping;
    },
  };
}

async function startFunctions(core: EmulatorCore, config: EmulatorConfig, hostPort: string, log: (line: string) => void, persistence: Persistence): Promise<FunctionsGate | null> {
  try {
    return await startFunctionsGate(core, config, hostPort, log, persistence.dataDir);
  } catch (e) {
    if (e instanceof StartupError) throw e;
    throw new StartupError('functions', config.functions, `the functions host cannot start: ${(e as Error).message}`, 'build the functions package (npm run build) or fix --functions');
  }
}
