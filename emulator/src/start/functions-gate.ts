// The functions host as a part of the emulator: started once the port is known (handlers talk
// to it), and stopped in an order that loses no event (stop() in index.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorConfig } from '../config.js';
import type { EmulatorCore } from '../core.js';
import type { FunctionsEventStore } from '../durable/data-dir.js';
import type { LogSink } from '../logs.js';

/** How long stop() lets queued function events finish before closing the port. */
const STOP_FUNCTIONS_DRAIN_MS = 2_000;

export interface FunctionsGate {
  handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** Lets queued events finish (bounded), while their handlers can still write back. */
  drain(): Promise<void>;
  stop(): Promise<void>;
}

export async function startFunctionsGate(
  core: EmulatorCore,
  config: EmulatorConfig,
  hostPort: string,
  log: LogSink,
  eventStore: FunctionsEventStore | null,
): Promise<FunctionsGate | null> {
  if (config.functions === null) return null;
  const { startFunctionsHost } = await import('../functions/index.js');
  const host = await startFunctionsHost({
    functionsDir: config.functions,
    projectId: config.projectId,
    databaseHost: hostPort,
    commits: core,
    defaultNamespace: config.namespace,
    log,
    logInvocations: config.logInvocations,
    ...(config.authEmulatorHost !== null && { authEmulatorHost: config.authEmulatorHost }),
    ...(config.runSchedulesOnTimer !== null && { runSchedulesOnTimer: config.runSchedulesOnTimer }),
    ...(config.maxCascadeDepth !== null && { maxCascadeDepth: config.maxCascadeDepth }),
    ...(eventStore !== null && { eventStore }),
  });
  return {
    handleHttp: (req, res) => host.handleHttp(req, res),
    async drain() {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([host.idle(), new Promise<void>((resolve) => (timer = setTimeout(resolve, STOP_FUNCTIONS_DRAIN_MS)))]);
      clearTimeout(timer);
    },
    stop: () => host.stop(),
  };
}
