// A TCP proxy in front of the database that can make the connections open right now go silent
// without closing them (what a dead NAT mapping or a stalled Wi-Fi link does to an event stream:
// new connections still pass, so only the stream's watchdog can notice), or take the database
// away altogether until told otherwise (connections refused), independent of timing.
import { createServer, connect, type Socket } from 'node:net';

export interface FreezeProxy {
  hostPort: string;
  /** Stops forwarding on every connection open now (they stay open, silent). */
  freezeOpenConnections(): number;
  /** Down: every open connection is reset and new ones are closed at once. Up: pass again. */
  setDown(down: boolean): void;
  close(): Promise<void>;
}

export async function startFreezeProxy(target: string): Promise<FreezeProxy> {
  const [host, port] = target.split(':') as [string, string];
  const pairs = new Set<[Socket, Socket]>();
  const all = new Set<Socket>();
  let down = false;
  const server = createServer((client) => {
    if (down) {
      client.destroy();
      return;
    }
    const upstream = connect(Number(port), host);
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    all.add(client).add(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('freeze proxy: no port');
  return {
    hostPort: `127.0.0.1:${address.port}`,
    freezeOpenConnections() {
      for (const [client, upstream] of pairs) {
        upstream.unpipe(client);
        client.unpipe(upstream);
        upstream.pause();
      }
      const n = pairs.size;
      pairs.clear();
      return n;
    },
    setDown(value) {
      down = value;
      if (!down) return;
      for (const [client, upstream] of pairs) {
        client.destroy();
        upstream.destroy();
      }
      pairs.clear();
    },
    async close() {
      for (const socket of all) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
