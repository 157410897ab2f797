// `npm start` (scripts/start.mjs runs this once the stack package is built): options, port
// checks, the build of what changed, the stack with the demo owner and fleet, one banner, a quiet
// fleet summary, and an ordered stop on Ctrl-C.
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { stackConfig } from '../config.js';
import { eventually } from '../eventually.js';
import { checkPorts, PortBusyError, type PortClaim } from '../ports.js';
import { startStack, type Stack } from '../stack.js';
import { bannerText, lanAddress } from './banner.js';
import { gatewayCli, startGateway, type RunningGateway } from './gateway.js';
import { buildStale, buildableWorkspaces } from './build.js';
import { classifyLine, startLogs, type Out } from './logs.js';
import { helpText, OptionError, parseStartOptions, PORT_HINTS } from './options.js';

/** A repeated signal this soon after the first is the same Ctrl-C (npm forwards it to us too). */
const SAME_SIGNAL_MS = 500;

export interface MainIo {
  argv: string[];
  env: NodeJS.ProcessEnv;
  out: Out;
  /** Registers the Ctrl-C / SIGTERM handler (the process's, or a test's). */
  onSignal(handler: () => void): void;
}

function defaultIo(): MainIo {
  return {
    argv: process.argv.slice(2),
    env: process.env,
    out: (line) => process.stdout.write(`${line}\n`),
    onSignal: (handler) => {
      process.on('SIGINT', handler);
      process.on('SIGTERM', handler);
    },
  };
}

/** Each device's `status/online` on its shard (true, false, or null when it never wrote one). */
async function onlineFlags(stack: Stack, ids: readonly string[]): Promise<Array<boolean | null>> {
  // The directory says where each device lives (no entry: the default instance).
  const directory =
    stack.shards.length === 1
      ? {}
      : (((await (await fetch(`${stack.urls.database}/deviceShards.json?ns=${stack.namespace}&auth=owner`)).json()) as Record<string, string> | null) ?? {});
  return Promise.all(
    ids.map(async (id) => {
      const res = await fetch(`${stack.urls.database}/devices/${id}/status/online.json?ns=${directory[id] ?? stack.namespace}&auth=owner`);
      const value = (await res.json()) as unknown;
      return typeof value === 'boolean' ? value : null;
    }),
  );
}

/** Runs `npm start` until it is stopped; resolves with the exit code. */
export async function main(io: MainIo = defaultIo()): Promise<number> {
  const startedMs = Date.now();
  const config = stackConfig();
  const log = startLogs(io.out);
  let options;
  try {
    options = parseStartOptions(io.argv, io.env, config);
  } catch (error) {
    if (error instanceof OptionError) {
      log.optionError(error.message);
      return 2;
    }
    throw error;
  }
  if (options.help) {
    io.out(helpText());
    return 0;
  }

  // Ctrl-C: what it does depends on the phase we are in.
  let phase: 'build' | 'start' | 'up' | 'stopping' = 'build';
  const buildAbort = new AbortController();
  let lastSignalMs = 0;
  let stopRequested: (() => void) | null = null;
  const stopSignal = new Promise<void>((resolve) => (stopRequested = resolve));
  let stack: Stack | null = null;
  let forced = false;
  io.onSignal(() => {
    const now = Date.now();
    const repeat = now - lastSignalMs < SAME_SIGNAL_MS;
    if (repeat) return;
    const second = lastSignalMs !== 0;
    lastSignalMs = now;
    if (phase === 'build') buildAbort.abort();
    if (second && phase === 'stopping' && !forced) {
      forced = true;
      log.forcing();
      for (const s of stack?.services() ?? []) {
        try {
          if (s.pid !== undefined) process.kill(-s.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
    stopRequested?.();
  });

  const web = buildableWorkspaces(config.root).some((w) => w.name === 'web');
  const dashboardPossible = web || existsSync(join(config.hostingPublic, 'index.html'));
  const claims: PortClaim[] = [
    { service: 'database', port: options.databasePort, hint: PORT_HINTS.database },
    { service: 'auth', port: options.authPort, hint: PORT_HINTS.auth },
    ...(dashboardPossible ? [{ service: 'hosting' as const, port: options.hostingPort, hint: PORT_HINTS.hosting }] : []),
    ...(existsSync(gatewayCli(config.root))
      ? [
          { service: 'MQTT gateway' as const, port: options.mqttPort, hint: PORT_HINTS.mqtt },
          { service: 'MQTT-over-WebSocket gateway' as const, port: options.mqttWsPort, hint: PORT_HINTS.mqttWs },
        ]
      : []),
  ];
  try {
    await checkPorts(claims, options.host);
  } catch (error) {
    if (error instanceof PortBusyError) log.portBusy(error.message);
    else log.optionError((error as Error).message);
    return 1;
  }
  if (options.fresh && existsSync(options.dataDir)) {
    rmSync(options.dataDir, { recursive: true, force: true });
    log.fresh(options.dataDir);
  }

  const build = await buildStale(config.root, log.buildStep, buildAbort.signal);
  if (!build.ok) {
    if ('stopped' in build) {
      log.stoppedDuringBuild();
      return 0;
    }
    log.buildFailed(build.failed, build.output);
    return 1;
  }
  if (build.upToDate.length > 0) log.buildUpToDate(build.upToDate);
  if (lastSignalMs !== 0) {
    log.stoppedDuringBuild();
    return 0;
  }

  phase = 'start';
  const fleetArgs = ['--stats-interval-ms', String(options.summarySeconds * 1000)];
  const serviceLog = (line: string): void => {
    if (options.verbose) return log.serviceLine(line);
    const kind = classifyLine(line);
    if (kind === 'summary') log.serviceLine(`fleet: ${line.replace(/^\[fleet\] /, '')}`);
    else if (kind === 'problem') log.serviceLine(line);
  };
  const hasDashboard = existsSync(join(config.hostingPublic, 'index.html'));
  let crashed: string | null = null;
  try {
    stack = await startStack({
      ports: { database: options.databasePort, auth: options.authPort, ...(hasDashboard ? { hosting: options.hostingPort } : {}) },
      portHints: PORT_HINTS,
      host: options.host,
      processes: 'child',
      functions: true,
      hosting: hasDashboard,
      demoOwner: true,
      fleet: options.devices - options.mqttFleet > 0 ? { count: options.devices - options.mqttFleet, args: fleetArgs } : false,
      shards: options.shards,
      functionsEnv: options.functionsEnv,
      dataDir: options.dataDir,
      logInvocations: options.verbose,
      log: serviceLog,
      progress: (step) => log.starting(step),
      onServiceExit: (service, how, recent) => {
        if (phase === 'stopping') return;
        crashed = service;
        log.serviceExited(service, how, recent);
        stopRequested?.();
      },
    });
  } catch (error) {
    if (error instanceof PortBusyError) log.portBusy(error.message);
    else log.startFailed((error as Error).message);
    return 1;
  }

  let gateway: RunningGateway | null;
  try {
    log.starting('the MQTT gateway');
    gateway = await startGateway({
      stack,
      root: config.root,
      host: options.host,
      mqttPort: options.mqttPort,
      wsPort: options.mqttWsPort,
      mqttFleet: options.mqttFleet,
      fleetArgs,
      onLine: serviceLog,
    });
  } catch (error) {
    log.startFailed((error as Error).message);
    await stack.stop().catch(() => {});
    return 1;
  }
  const demoIds = [...stack.fleetDeviceIds, ...(gateway?.deviceIds ?? [])];

  if (lastSignalMs === 0 && demoIds.length > 0) {
    let shown = -1;
    try {
      await eventually('every demo device online', async () => {
        if (lastSignalMs !== 0 || crashed !== null) return true;
        const online = (await onlineFlags(stack!, demoIds)).filter((f) => f === true).length;
        if (online !== shown && online < demoIds.length) log.devicesOnline(online, demoIds.length);
        shown = online;
        return online === demoIds.length;
      }, { timeoutMs: 60_000 + 50 * demoIds.length, intervalMs: 250 });
    } catch (error) {
      log.startFailed((error as Error).message);
      await gateway?.stop().catch(() => {});
      await stack.stop().catch(() => {});
      return 1;
    }
  }

  if (lastSignalMs === 0 && crashed === null) {
    phase = 'up';
    log.banner(
      bannerText({
        stack,
        startupMs: Date.now() - startedMs,
        root: config.root,
        dataDir: options.dataDir,
        dashboardMissing: hasDashboard ? null : 'the dashboard (web/) is not built yet',
        lanAddress: options.host === '0.0.0.0' ? lanAddress() : null,
        defaultPorts: config.ports,
        summarySeconds: options.summarySeconds,
        mqtt: gateway ? { mqttUrl: gateway.mqttUrl, wsUrl: gateway.wsUrl, devices: gateway.deviceIds.length } : null,
      }),
    );
    await stopSignal;
  }

  phase = 'stopping';
  const stoppingMs = Date.now();
  const ids = demoIds;
  if (ids.length > 0 && crashed !== 'database') {
    log.stopping('the fleet (devices write offline)');
    await Promise.all([stack.stopFleet(), gateway?.stopFleet()]);
    const offline = (await onlineFlags(stack, ids).catch(() => ids.map(() => null))).filter((f) => f === false).length;
    log.devicesOffline(offline, ids.length);
  }
  if (gateway) {
    log.stopping('the MQTT gateway');
    await gateway.stop();
  }
  log.stopping('the functions and the database, then Auth' + (hasDashboard ? ' and Hosting' : ''));
  try {
    await stack.stop();
  } catch (error) {
    log.startFailed((error as Error).message);
    return 1;
  }
  log.stopped(Date.now() - stoppingMs, options.dataDir);
  return crashed === null ? 0 : 1;
}
