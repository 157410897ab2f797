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
  for (const [service, flag, env] of [
    ['database', '--database-port', 'FIRELINK_DATABASE_PORT'],
    ['auth', '--auth-port', 'FIRELINK_AUTH_PORT'],
  ] as const) {
    it(`npm start names the busy ${service} port, its holder and the option`, async () => {
      const busy = await occupy();
      const others = [await freePort(), await freePort(), await freePort()];
      const ports = { database: others[0]!, auth: others[1]!, hosting: others[2]!, [service]: busy };
      const run = npmStart(['--database-port', String(ports.database), '--auth-port', String(ports.auth), '--hosting-port', String(ports.hosting)]);
      expect(await run.exited).toBe(1);
      expect(run.output()).toContain(`npm start: cannot start, a port is taken:\n  port ${busy} on 127.0.0.1 for the ${service} emulator is in use by ${holderText}`);
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
    const run = npmStart(['--database-port', String(port), '--auth-port', String(port)]);
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain(`port ${port} is given to both the database and the auth emulator`);
  });
});
