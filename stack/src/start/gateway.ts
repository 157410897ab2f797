// The MQTT gateway (gateway/README.md) in `npm start`: its own child process bound to the stack's
// emulators, plus the part of the demo fleet that speaks MQTT through it. Stopped before the
// database, so the gateway's last offline writes still land.
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { spawnService, type ServiceProcess } from '../child.js';
import { GiveUp, eventually } from '../eventually.js';
import { startFleet } from '../fleet.js';
import type { Stack } from '../stack.js';

export interface RunningGateway {
  mqttUrl: string;
  wsUrl: string;
  /** Ids of the demo devices that speak MQTT. */
  deviceIds: string[];
  stopFleet(): Promise<void>;
  stop(): Promise<void>;
}

export function gatewayCli(root: string): string {
  return join(root, 'gateway', 'dist', 'cli.js');
}

function tcpAnswers(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port }, () => {
      socket.end();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

export async function startGateway(options: {
  stack: Stack;
  root: string;
  host: string;
  mqttPort: number;
  wsPort: number;
  mqttFleet: number;
  fleetArgs: string[];
  onLine: (line: string) => void;
}): Promise<RunningGateway | null> {
  const cli = gatewayCli(options.root);
  if (!existsSync(cli)) return null;
  const { stack } = options;
  const dial = options.host === '0.0.0.0' ? '127.0.0.1' : options.host;
  const env = {
    ...process.env,
    GCLOUD_PROJECT: stack.projectId,
    FIREBASE_DATABASE_EMULATOR_HOST: stack.hosts.database,
    FIREBASE_AUTH_EMULATOR_HOST: stack.hosts.auth,
    // The MQTT fleet provisions its devices across the shards; the gateway finds each one's
    // shard in the directory when it connects (gateway/README.md).
    ...(stack.shards.length > 1 ? { FIRELINK_SHARDS: stack.shards.join(',') } : {}),
  };
  const gateway: ServiceProcess = spawnService({
    name: 'mqtt',
    command: process.execPath,
    args: [cli, '--host', options.host, '--mqtt-port', String(options.mqttPort), '--ws-port', String(options.wsPort), '--project', stack.projectId],
    cwd: options.root,
    env,
    onLine: options.onLine,
  });
  await eventually(`the MQTT gateway on ${dial}:${options.mqttPort}`, async () => {
    if (!gateway.running()) throw new GiveUp(`the MQTT gateway exited:\n${gateway.recentOutput()}`);
    return tcpAnswers(dial, options.mqttPort);
  }, { timeoutMs: 30_000, intervalMs: 100 });
  const mqttUrl = `mqtt://${dial}:${options.mqttPort}`;
  const fleet =
    options.mqttFleet > 0
      ? startFleet({
          fleet: { count: options.mqttFleet, prefix: 'demo-mqtt', args: ['--transport', 'mqtt', '--mqtt-url', mqttUrl, ...options.fleetArgs] },
          owner: stack.demoOwner?.uid ?? 'demo-owner',
          projectId: stack.projectId,
          databaseHostPort: stack.hosts.database,
          authHostPort: stack.hosts.auth,
          env,
          root: options.root,
          cwd: options.root,
          onLine: options.onLine,
        })
      : null;
  return {
    mqttUrl,
    wsUrl: `ws://${dial}:${options.wsPort}/mqtt`,
    deviceIds: fleet?.deviceIds ?? [],
    stopFleet: async () => {
      if (fleet) await fleet.process.stop('SIGTERM', 15_000);
    },
    stop: async () => {
      if (fleet) await fleet.process.stop('SIGTERM', 15_000);
      await gateway.stop('SIGTERM', 10_000);
    },
  };
}
