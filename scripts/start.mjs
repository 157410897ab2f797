#!/usr/bin/env node
// `npm start`: the whole local system on emulators. Builds the workspaces, starts the Auth (and,
// when the dashboard is built, Hosting) emulators of firebase-tools, our RTDB emulator with
// database.rules.json and the functions host, provisions demo devices, runs a small simulated
// fleet, prints the URLs, and stops everything on Ctrl-C (each child runs in its own process group,
// which is killed whole, so nothing is left behind).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const config = Object.freeze({
  projectId: process.env.FIRELINK_PROJECT ?? 'demo-firelink',
  host: '127.0.0.1',
  databasePort: Number(process.env.FIRELINK_DATABASE_PORT ?? 9000),
  authPort: Number(process.env.FIRELINK_AUTH_PORT ?? 9099),
  hostingPort: Number(process.env.FIRELINK_HOSTING_PORT ?? 5000),
  fleetSize: Number(process.env.FIRELINK_FLEET_SIZE ?? 3),
  owner: process.env.FIRELINK_DEMO_OWNER ?? 'demo-owner',
  // The MQTT gateway (gateway/README.md); FIRELINK_MQTT_FLEET=N (or `npm start -- --mqtt-fleet N`)
  // runs N of the demo devices over MQTT instead of REST.
  mqttPort: Number(process.env.FIRELINK_MQTT_PORT ?? 1883),
  mqttWsPort: Number(process.env.FIRELINK_MQTT_WS_PORT ?? 8083),
  mqttFleet: Number(process.argv.includes('--mqtt-fleet') ? process.argv[process.argv.indexOf('--mqtt-fleet') + 1] : (process.env.FIRELINK_MQTT_FLEET ?? 0)),
});
if (!config.projectId.startsWith('demo-')) {
  console.error(`npm start runs only against a demo-* project (got "${config.projectId}"): set FIRELINK_PROJECT=demo-...`);
  process.exit(2);
}

const env = {
  ...process.env,
  CI: 'true',
  GCLOUD_PROJECT: config.projectId,
  FIREBASE_DATABASE_EMULATOR_HOST: `${config.host}:${config.databasePort}`,
  FIREBASE_AUTH_EMULATOR_HOST: `${config.host}:${config.authPort}`,
};
const children = [];
let stopping = false;

function startChild(name, command, args) {
  const child = spawn(command, args, { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const prefix = `[${name}] `;
  for (const stream of [child.stdout, child.stderr]) {
    let pending = '';
    stream.on('data', (chunk) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) console.log(prefix + line);
    });
  }
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`${prefix}exited (${signal ?? code}); stopping the local system`);
      stopAll(1);
    }
  });
  children.push(child);
  return child;
}

function stopAll(exitCode) {
  if (stopping) return;
  stopping = true;
  for (const child of children) {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  // Escalate for anything that ignores SIGTERM, then leave.
  setTimeout(() => {
    for (const child of children) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    process.exit(exitCode);
  }, 3000).unref();
  Promise.all(children.map((child) => new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.on('exit', resolve))))).then(() => process.exit(exitCode));
}

process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));

async function waitForHttp(url, what, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (stopping) return false;
    try {
      const response = await fetch(url);
      await response.arrayBuffer();
      return true;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  console.error(`${what} did not answer at ${url} within ${timeoutMs / 1000}s`);
  stopAll(1);
  return false;
}

function runToEnd(title, command, args) {
  console.log(`--- ${title}`);
  const result = spawnSync(command, args, { cwd: root, env, stdio: 'inherit' });
  return result.status === 0;
}

const missing = [];
const have = (relative, what) => {
  const ok = existsSync(join(root, relative));
  if (!ok) missing.push(`${what} (${relative})`);
  return ok;
};

if (!runToEnd('building the workspaces', 'npm', ['run', 'build'])) {
  console.error('the build failed: fix the errors above, then run npm start again');
  process.exit(1);
}

const firebaseBin = join(root, 'node_modules', '.bin', 'firebase');
const hasDashboard = have('web/dist/index.html', 'the dashboard');
const only = hasDashboard ? 'auth,hosting' : 'auth';
startChild('firebase', firebaseBin, ['emulators:start', '--only', only, '--project', config.projectId]);
if (!(await waitForHttp(`http://${config.host}:${config.authPort}/`, 'the Auth emulator'))) process.exit(1);

if (have('emulator/dist/cli.js', 'the RTDB emulator')) {
  const args = [
    'emulator/dist/cli.js',
    '--host', config.host,
    '--port', String(config.databasePort),
    '--project', config.projectId,
    '--rules', 'database.rules.json',
    '--auth-emulator-host', `${config.host}:${config.authPort}`,
  ];
  if (have('functions/lib/index.js', 'the functions')) args.push('--functions', 'functions');
  startChild('rtdb', process.execPath, args);
  if (!(await waitForHttp(`http://${config.host}:${config.databasePort}/.json?ns=${config.projectId}-default-rtdb&shallow=true&auth=owner`, 'the RTDB emulator'))) process.exit(1);
}

const mqttUrl = `mqtt://${config.host}:${config.mqttPort}`;
const hasGateway = have('gateway/dist/cli.js', 'the MQTT gateway');
if (hasGateway) {
  startChild('mqtt', process.execPath, ['gateway/dist/cli.js', '--host', config.host, '--mqtt-port', String(config.mqttPort), '--ws-port', String(config.mqttWsPort)]);
}
if (have('device-sim/dist/cli.js', 'the device simulator')) {
  const overMqtt = hasGateway ? Math.min(Math.max(0, config.mqttFleet), config.fleetSize) : 0;
  if (config.fleetSize - overMqtt > 0) startChild('fleet', process.execPath, ['device-sim/dist/cli.js', 'fleet', '--count', String(config.fleetSize - overMqtt), '--owner', config.owner]);
  if (overMqtt > 0) startChild('mqtt-fleet', process.execPath, ['device-sim/dist/cli.js', 'fleet', '--count', String(overMqtt), '--prefix', 'mqtt', '--owner', config.owner, '--transport', 'mqtt', '--mqtt-url', mqttUrl]);
}

console.log('');
console.log('Firelink local system is up:');
console.log(`  Realtime Database  http://${config.host}:${config.databasePort}/?ns=${config.projectId}-default-rtdb`);
console.log(`  Auth emulator      http://${config.host}:${config.authPort}/`);
if (hasDashboard) console.log(`  Dashboard          http://${config.host}:${config.hostingPort}/`);
if (hasGateway) console.log(`  MQTT gateway       ${mqttUrl}  ws://${config.host}:${config.mqttWsPort}/mqtt${config.mqttFleet > 0 ? `  (${Math.min(config.mqttFleet, config.fleetSize)} of the ${config.fleetSize} demo devices use it)` : ''}`);
for (const what of missing) console.log(`  not built yet:     ${what}`);
console.log('Press Ctrl-C to stop everything.');
