// The one banner `npm start` prints once every service answers.
import { networkInterfaces } from 'node:os';
import { relative } from 'node:path';
import type { Stack } from '../stack.js';

export interface BannerInput {
  stack: Pick<Stack, 'projectId' | 'namespace' | 'shards' | 'urls' | 'hosts' | 'ports' | 'demoOwner' | 'fleetDeviceIds'>;
  startupMs: number;
  root: string;
  dataDir: string;
  /** Why there is no dashboard, when there is none. */
  dashboardMissing: string | null;
  /** LAN mode: the address devices on the network use. */
  lanAddress: string | null;
  defaultPorts: { database: number; auth: number };
  summarySeconds: number;
  /** The MQTT gateway's URLs, when it runs. */
  mqtt?: { mqttUrl: string; wsUrl: string; devices: number } | null;
}

/** The first non-internal IPv4 address of this machine, or null. */
export function lanAddress(): string | null {
  for (const list of Object.values(networkInterfaces())) {
    for (const entry of list ?? []) if (entry.family === 'IPv4' && !entry.internal) return entry.address;
  }
  return null;
}

export function bannerText(input: BannerInput): string {
  const { stack } = input;
  const owner = stack.demoOwner;
  const devices = stack.fleetDeviceIds;
  const dataShown = relative(input.root, input.dataDir).startsWith('..') ? input.dataDir : relative(input.root, input.dataDir);
  // device-sim reads the emulator hosts from these variables; only needed off the default ports.
  const envPrefix =
    stack.ports.database === input.defaultPorts.database && stack.ports.auth === input.defaultPorts.auth
      ? ''
      : `FIREBASE_DATABASE_EMULATOR_HOST=${stack.hosts.database} FIREBASE_AUTH_EMULATOR_HOST=${stack.hosts.auth} `;
  const row = (label: string, value: string) => `  ${label.padEnd(16)} ${value}`;
  const lines = [
    '',
    `Firelink is up in ${(input.startupMs / 1000).toFixed(1)} s (project ${stack.projectId}, all on emulators)`,
    '',
    row('Dashboard', stack.urls.dashboard ?? `not available: ${input.dashboardMissing ?? 'not built'}`),
    ...(owner ? [row('Sign in as', `${owner.email} / ${owner.password}`)] : []),
    row('Database (JSON)', stack.urls.databaseJson),
    ...(stack.shards.length > 1
      ? [row('Shards', `${stack.shards.length} instances as namespaces: ${stack.shards.join(', ')} (directory deviceShards on ${stack.namespace}; ?ns=<instance> in the JSON URL)`)]
      : []),
    row('Auth emulator', stack.urls.auth),
    ...(input.mqtt ? [row('MQTT gateway', `${input.mqtt.mqttUrl}  ${input.mqtt.wsUrl}${input.mqtt.devices > 0 ? ` (${input.mqtt.devices} demo devices over MQTT)` : ''}`)] : []),
    row('Devices', devices.length === 0 ? 'none simulated (--devices N adds some)' : `${devices.length} simulated: ${devices[0]}${devices.length > 1 ? ` ... ${devices[devices.length - 1]}` : ''}, owned by ${owner?.email ?? 'demo-owner'}`),
    row('Data', `${dataShown} (kept between runs; npm start -- --fresh starts empty)`),
  ];
  if (input.lanAddress !== null) {
    lines.push(
      row('LAN', `devices on your network reach this machine at ${input.lanAddress}: put that address (database port ${stack.ports.database}, auth port ${stack.ports.auth}) in the firmware's secrets.h`),
    );
  }
  lines.push(
    '',
    'Next steps',
    row('see the data', `curl '${stack.urls.database}/devices.json?ns=${stack.namespace}&auth=owner&print=pretty'`),
    row('one more device', `${envPrefix}npx device-sim fleet --count 1 --owner ${owner?.uid ?? 'demo-owner'}`),
    row('provision one', `${envPrefix}npm run provision -- --device my-device --owner ${owner?.uid ?? 'demo-owner'}${stack.shards.length > 1 ? ` --shards ${stack.shards.length}` : ''}`),
    ...(stack.shards.length > 1 ? [row('move one', `${envPrefix}npm run provision -- move --device ${devices[0] ?? 'my-device'} --to ${stack.shards[1]} --shards ${stack.shards.length}`)] : []),
    '',
    `Quiet: a fleet summary every ${input.summarySeconds} s plus warnings and errors (npm start -- --verbose shows every line). Ctrl-C stops everything.`,
    '',
  );
  return lines.join('\n');
}
