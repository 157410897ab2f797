// A simulated fleet (device-sim's `fleet` command) as a child process: it provisions its devices
// on the fly against the emulators and, when stopped (SIGTERM), writes each device's status offline.
import { join } from 'node:path';
import { spawnService, type ServiceProcess } from './child.js';

export interface FleetOptions {
  count: number;
  /** Device ids are `<prefix>-0001`...; distinct from device-sim's own default (`sim`). */
  prefix?: string;
  /** Owner uid of the devices (default: the demo owner when there is one). */
  owner?: string;
  /** Readings per second per device (default: each device's config). */
  rate?: number;
  /** More `device-sim fleet` flags. */
  args?: string[];
}

/** The default id prefix of the stack's fleet (`npm start`'s demo devices). */
export const STACK_FLEET_PREFIX = 'demo';

/** The ids `device-sim fleet` gives (device-sim/src/cli/fleet.ts, fleetDeviceIds). */
export function fleetDeviceIds(prefix: string, count: number): string[] {
  const width = Math.max(4, String(count).length);
  return Array.from({ length: count }, (_, i) => `${prefix}-${String(i + 1).padStart(width, '0')}`);
}

/** The simulator's built CLI (by path: device-sim's tests use this package, so no dependency back). */
export function deviceSimCli(root: string): string {
  return join(root, 'device-sim', 'dist', 'cli.js');
}

/**
 * Node flags of a fleet process. A fleet is thousands of small requests and stream events a second,
 * each alive for milliseconds: with V8's default young generation (16 MiB semi-spaces) a scavenge
 * copies many of them still in flight and pauses the loop for 30 to 90 ms, which the devices then
 * report as latency; 4 MiB keeps each pause short (measured with `bench/e2e.mjs`, stack/README.md).
 */
export const FLEET_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4'];

export function startFleet(options: {
  fleet: FleetOptions;
  owner: string;
  projectId: string;
  databaseHostPort: string;
  authHostPort: string;
  env: NodeJS.ProcessEnv;
  root: string;
  cwd: string;
  onLine: (line: string) => void;
}): { process: ServiceProcess; deviceIds: string[] } {
  const prefix = options.fleet.prefix ?? STACK_FLEET_PREFIX;
  const args = [...FLEET_NODE_FLAGS, deviceSimCli(options.root), 'fleet', '--count', String(options.fleet.count), '--prefix', prefix, '--owner', options.fleet.owner ?? options.owner];
  if (options.fleet.rate !== undefined) args.push('--rate', String(options.fleet.rate));
  args.push(...(options.fleet.args ?? []));
  const child = spawnService({
    name: 'fleet',
    command: process.execPath,
    args,
    cwd: options.cwd,
    env: {
      ...options.env,
      GCLOUD_PROJECT: options.projectId,
      FIREBASE_DATABASE_EMULATOR_HOST: options.databaseHostPort,
      FIREBASE_AUTH_EMULATOR_HOST: options.authHostPort,
    },
    onLine: options.onLine,
  });
  return { process: child, deviceIds: fleetDeviceIds(prefix, options.fleet.count) };
}
