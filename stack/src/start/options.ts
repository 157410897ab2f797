// `npm start` options: flags over FIRELINK_* variables over firebase.json's defaults, validated
// once. Every option is listed in OPTIONS, which is also the --help text and the README table.
import { isAbsolute, join } from 'node:path';
import { parseArgs } from 'node:util';
import { LOCAL_SHARDS_MAX } from '@firelink/model';
import type { StackConfig } from '../config.js';

export interface StartOptions {
  devices: number;
  databasePort: number;
  authPort: number;
  hostingPort: number;
  mqttPort: number;
  mqttWsPort: number;
  /** How many of the demo devices speak MQTT through the gateway instead of REST. */
  mqttFleet: number;
  /** Database instances (namespaces); the demo fleet is spread across them. */
  shards: number;
  host: string;
  dataDir: string;
  fresh: boolean;
  verbose: boolean;
  /** Extra variables for the functions (startStack's `functionsEnv`). */
  functionsEnv: Record<string, string>;
  summarySeconds: number;
  help: boolean;
}

export const OPTIONS = [
  { flag: '--devices <n>', env: 'FIRELINK_DEVICES', help: 'simulated demo devices (ids demo-0001...)', def: '3' },
  { flag: '--no-fleet', env: 'FIRELINK_NO_FLEET=1', help: 'no simulated devices (same as --devices 0)', def: '' },
  { flag: '--database-port <port>', env: 'FIRELINK_DATABASE_PORT', help: 'RTDB emulator port', def: 'firebase.json (9000)' },
  { flag: '--auth-port <port>', env: 'FIRELINK_AUTH_PORT', help: 'Auth emulator port', def: 'firebase.json (9099)' },
  { flag: '--hosting-port <port>', env: 'FIRELINK_HOSTING_PORT', help: 'dashboard (Hosting emulator) port', def: 'firebase.json (5000)' },
  { flag: '--mqtt-port <port>', env: 'FIRELINK_MQTT_PORT', help: 'MQTT gateway port (gateway/README.md)', def: '1883' },
  { flag: '--mqtt-ws-port <port>', env: 'FIRELINK_MQTT_WS_PORT', help: 'MQTT over WebSocket port (path /mqtt)', def: '8083' },
  { flag: '--mqtt-fleet <n>', env: 'FIRELINK_MQTT_FLEET', help: 'how many of the demo devices speak MQTT through the gateway', def: '0' },
  { flag: '--shards <n>', env: 'FIRELINK_SHARDS', help: 'database instances, as namespaces (docs/scaling.md); demo devices spread across them', def: '1' },
  { flag: '--host <address>', env: 'FIRELINK_HOST', help: 'bind address; 0.0.0.0 lets devices on your LAN connect', def: '127.0.0.1' },
  { flag: '--data-dir <dir>', env: 'FIRELINK_DATA_DIR', help: 'where data is kept between runs', def: '.firelink/data' },
  { flag: '--fresh', env: 'FIRELINK_FRESH=1', help: 'start with empty data (deletes the data folder first)', def: '' },
  { flag: '--verbose', env: 'FIRELINK_VERBOSE=1', help: 'every log line of every service, including one per mapped reading', def: '' },
  { flag: '--summary-seconds <s>', env: 'FIRELINK_SUMMARY_SECONDS', help: 'seconds between fleet summary lines', def: '5' },
  { flag: '--help', env: '', help: 'this text', def: '' },
] as const;

export class OptionError extends Error {
  override readonly name = 'OptionError';
}

export function helpText(): string {
  const rows = OPTIONS.map((o) => `  ${o.flag.padEnd(24)} ${o.help}${o.def ? ` (default ${o.def})` : ''}${o.env ? `\n  ${''.padEnd(24)} env ${o.env}` : ''}`);
  return ['Usage: npm start -- [options]', '', 'Starts the whole Firelink system on emulators on this machine.', '', ...rows].join('\n');
}

function integer(value: string, name: string, min: number, max: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isInteger(n) || n < min || n > max) {
    throw new OptionError(`${name} must be a whole number from ${min} to ${max} (got "${value}")`);
  }
  return n;
}

const truthy = (v: string | undefined): boolean => v !== undefined && /^(1|true|yes)$/i.test(v);

export function parseStartOptions(argv: string[], env: NodeJS.ProcessEnv, config: StackConfig): StartOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        devices: { type: 'string' },
        'no-fleet': { type: 'boolean' },
        'database-port': { type: 'string' },
        'auth-port': { type: 'string' },
        'hosting-port': { type: 'string' },
        'mqtt-port': { type: 'string' },
        'mqtt-ws-port': { type: 'string' },
        'mqtt-fleet': { type: 'string' },
        shards: { type: 'string' },
        host: { type: 'string' },
        'data-dir': { type: 'string' },
        fresh: { type: 'boolean' },
        verbose: { type: 'boolean' },
        'summary-seconds': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (error) {
    throw new OptionError(`${(error as Error).message} (npm start -- --help lists the options)`);
  }
  const pick = (flag: string | undefined, flagName: string, envName: string): [string, string] | null => {
    if (flag !== undefined) return [flag, flagName];
    const fromEnv = env[envName];
    return fromEnv !== undefined && fromEnv !== '' ? [fromEnv, envName] : null;
  };
  const port = (flagValue: string | undefined, flagName: string, envName: string, fallback: number): number => {
    const v = pick(flagValue, flagName, envName);
    return v === null ? fallback : integer(v[0], v[1], 1, 65535);
  };
  const noFleet = parsed['no-fleet'] === true || truthy(env.FIRELINK_NO_FLEET);
  const devicesValue = pick(parsed.devices, '--devices', 'FIRELINK_DEVICES');
  const devices = noFleet ? 0 : devicesValue === null ? 3 : integer(devicesValue[0], devicesValue[1], 0, 10_000);
  const host = pick(parsed.host, '--host', 'FIRELINK_HOST')?.[0] ?? '127.0.0.1';
  if (!/^(\d{1,3}(\.\d{1,3}){3}|localhost)$/.test(host)) {
    throw new OptionError(`--host must be an IPv4 address such as 127.0.0.1 or 0.0.0.0 (got "${host}")`);
  }
  const dataDirValue = pick(parsed['data-dir'], '--data-dir', 'FIRELINK_DATA_DIR')?.[0] ?? join('.firelink', 'data');
  const mqttFleetValue = pick(parsed['mqtt-fleet'], '--mqtt-fleet', 'FIRELINK_MQTT_FLEET');
  const mqttFleet = mqttFleetValue === null ? 0 : integer(mqttFleetValue[0], mqttFleetValue[1], 0, 10_000);
  if (mqttFleet > devices) throw new OptionError(`--mqtt-fleet (${mqttFleet}) must be at most --devices (${devices}): it says how many of the demo devices speak MQTT`);
  const summary = pick(parsed['summary-seconds'], '--summary-seconds', 'FIRELINK_SUMMARY_SECONDS');
  const shardsValue = pick(parsed.shards, '--shards', 'FIRELINK_SHARDS');
  const shards = shardsValue === null ? 1 : integer(shardsValue[0], shardsValue[1], 1, LOCAL_SHARDS_MAX);
  const verbose = parsed.verbose === true || truthy(env.FIRELINK_VERBOSE);
  // Every line includes the functions' per-reading one, off by default (functions/src/config.ts);
  // a value set in the environment stays, and functions/.env wins over both.
  const logMapped = env.FIRELINK_LOG_MAPPED_READINGS;
  const functionsEnv: Record<string, string> =
    verbose && (logMapped === undefined || logMapped === '') ? { FIRELINK_LOG_MAPPED_READINGS: 'true' } : {};
  return {
    devices,
    databasePort: port(parsed['database-port'], '--database-port', 'FIRELINK_DATABASE_PORT', config.ports.database),
    authPort: port(parsed['auth-port'], '--auth-port', 'FIRELINK_AUTH_PORT', config.ports.auth),
    hostingPort: port(parsed['hosting-port'], '--hosting-port', 'FIRELINK_HOSTING_PORT', config.ports.hosting),
    mqttPort: port(parsed['mqtt-port'], '--mqtt-port', 'FIRELINK_MQTT_PORT', 1883),
    mqttWsPort: port(parsed['mqtt-ws-port'], '--mqtt-ws-port', 'FIRELINK_MQTT_WS_PORT', 8083),
    mqttFleet,
    shards,
    host: host === 'localhost' ? '127.0.0.1' : host,
    dataDir: isAbsolute(dataDirValue) ? dataDirValue : join(config.root, dataDirValue),
    fresh: parsed.fresh === true || truthy(env.FIRELINK_FRESH),
    verbose,
    functionsEnv,
    summarySeconds: summary === null ? 5 : integer(summary[0], summary[1], 1, 3600),
    help: parsed.help === true,
  };
}

/** The busy-port hint per service: the flag and the variable that change it. */
export const PORT_HINTS = {
  database: '--database-port N (or FIRELINK_DATABASE_PORT=N)',
  auth: '--auth-port N (or FIRELINK_AUTH_PORT=N)',
  hosting: '--hosting-port N (or FIRELINK_HOSTING_PORT=N)',
  mqtt: '--mqtt-port N (or FIRELINK_MQTT_PORT=N)',
  mqttWs: '--mqtt-ws-port N (or FIRELINK_MQTT_WS_PORT=N)',
} as const;
