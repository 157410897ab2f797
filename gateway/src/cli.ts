#!/usr/bin/env node
/**
 * `firelink-gateway [--host h] [--mqtt-port p] [--ws-port p] [--project id] [--log-level l]`:
 * runs the gateway until SIGINT/SIGTERM. Every option also has an environment variable
 * (gateway/README.md "Configuration"); flags win.
 */
import { parseArgs } from 'node:util';
import { ConfigError } from './config.js';
import { jsonLineSink, type LogLevel } from './logs.js';
import { startGateway } from './server.js';

const USAGE = `usage: firelink-gateway [options]

  --host <addr>        listen address (FIRELINK_GATEWAY_HOST, default 127.0.0.1; 0.0.0.0 in a container)
  --mqtt-port <n>      MQTT over TCP (FIRELINK_GATEWAY_MQTT_PORT, default 1883; 0 = any free port)
  --ws-port <n>        MQTT over WebSocket, path /mqtt (FIRELINK_GATEWAY_WS_PORT, default 8083)
  --project <id>       a real Firebase project (FIRELINK_GATEWAY_PROJECT); default: demo-firelink on the emulators
  --log-level <l>      debug | info | warn | error (FIRELINK_GATEWAY_LOG_LEVEL, default info)
  -h, --help           this text

Against the emulators set FIREBASE_DATABASE_EMULATOR_HOST and FIREBASE_AUTH_EMULATOR_HOST.`;

function intFlag(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed)) throw new ConfigError(`--${name}: must be an integer (got ${JSON.stringify(value)})`);
  return parsed;
}

export async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        host: { type: 'string' },
        'mqtt-port': { type: 'string' },
        'ws-port': { type: 'string' },
        project: { type: 'string' },
        'log-level': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (err) {
    process.stderr.write(`firelink-gateway: ${err instanceof Error ? err.message : String(err)}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const level = (values['log-level'] ?? env.FIRELINK_GATEWAY_LOG_LEVEL ?? 'info') as LogLevel;
  if (!['debug', 'info', 'warn', 'error'].includes(level)) {
    process.stderr.write(`firelink-gateway: --log-level must be debug, info, warn or error (got ${JSON.stringify(level)})\n`);
    return 2;
  }
  let gateway;
  try {
    const mqttPort = intFlag('mqtt-port', values['mqtt-port']);
    const wsPort = intFlag('ws-port', values['ws-port']);
    gateway = await startGateway({
      env,
      log: jsonLineSink(process.stderr, level),
      ...(values.host !== undefined ? { host: values.host } : {}),
      ...(mqttPort !== undefined ? { mqttPort } : {}),
      ...(wsPort !== undefined ? { wsPort } : {}),
      ...(values.project !== undefined ? { projectId: values.project } : {}),
    });
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`firelink-gateway: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  process.stdout.write(`MQTT gateway: ${gateway.mqttUrl} (MQTT 3.1.1 and 5), ${gateway.wsUrl} (MQTT over WebSocket)\n`);
  const running = gateway;
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void running.stop().then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  return 0;
}

process.exitCode = await main(process.argv.slice(2), process.env);
