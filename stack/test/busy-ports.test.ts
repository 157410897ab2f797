// A busy port stops the start before anything runs, naming the port, the service, the process
// that holds it and the option that changes it.
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, startStack } from '../src/index.js';
import { npmStart } from './support/npm-start.js';

let holder: Server | null = null;

async function occupy(): Promise<number> {
  const port = await freePort();
  holder = createServer();
  await new Promise<void>((resolve) => holder!.listen(port, '127.0.0.1', resolve));
  return port;
}

afterEach(async () => {
  await new Promise<void>((resolve) => (holder ? holder.close(() => resolve()) : resolve()));
  holder = null;
});

const holderText = `pid ${process.pid} (${process.execPath}`;

describe('busy ports', () => {
  for (const [service, label, flag, env] of [
    ['database', 'database emulator', '--database-port', 'FIRELINK_DATABASE_PORT'],
    ['auth', 'auth emulator', '--auth-port', 'FIRELINK_AUTH_PORT'],
    ['mqtt', 'MQTT gateway', '--mqtt-port', 'FIRELINK_MQTT_PORT'],
  ] as const) {
    it(`npm start names the busy ${service} port, its holder and the option`, async () => {
      const busy = await occupy();
      const others = [await freePort(), await freePort(), await freePort(), await freePort(), await freePort()];
      const ports = { database: others[0]!, auth: others[1]!, hosting: others[2]!, mqtt: others[3]!, mqttWs: others[4]!, [service]: busy };
      const run = npmStart([
        '--database-port', String(ports.database), '--auth-port', String(ports.auth), '--hosting-port', String(ports.hosting),
        '--mqtt-port', String(ports.mqtt), '--mqtt-ws-port', String(ports.mqttWs),
      ]);
      expect(await run.exited).toBe(1);
      expect(run.output()).toContain(`npm start: cannot start, a port is taken:\n  port ${busy} on 127.0.0.1 for the ${label} is in use by ${holderText}`);
      expect(run.output()).toContain(`choose another port with ${flag} N (or ${env}=N)`);
      expect(run.output()).not.toMatch(/build:|starting/);
    });
  }

  it('startStack names a busy hosting port before anything starts', async () => {
    const busy = await occupy();
    await expect(startStack({ ports: { hosting: busy }, hosting: true, auth: false })).rejects.toThrow(
      new RegExp(`port ${busy} on 127\\.0\\.0\\.1 for the hosting emulator is in use by pid ${process.pid} .*choose another port with startStack's ports option \\(\\{ hosting: N \\}\\)`),
    );
  });

  it('the same port twice is refused', async () => {
    const port = await freePort();
    const run = npmStart(['--database-port', String(port), '--auth-port', String(port), '--mqtt-port', String(await freePort()), '--mqtt-ws-port', String(await freePort())]);
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain(`port ${port} is given to both the database and the auth emulator`);
  });
});
