import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { keepAliveRequest } from '../src/device-writer.js';

const servers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of servers.splice(0)) await close();
});

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ url: string; sockets: Set<Socket> }> {
  const sockets = new Set<Socket>();
  const server = createServer(handler);
  server.on('connection', (socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(() => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  }));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, sockets };
}

describe('keepAliveRequest (the REST writer\'s HTTP client)', () => {
  it('sends many concurrent writes over a bounded set of reused sockets', async () => {
    const bodies: string[] = [];
    const { url, sockets } = await serve((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        bodies.push(`${req.method} ${req.url} ${body}`);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      });
    });
    const request = keepAliveRequest(3);
    const replies = await Promise.all(Array.from({ length: 40 }, (_, i) => request('PUT', `${url}/r/${i}.json?print=silent`, `{"i":${i}}`, 30_000)));
    expect(replies.every((r) => r.status === 200 && r.text === '{"ok":true}')).toBe(true);
    expect(bodies).toHaveLength(40);
    expect(bodies).toContain('PUT /r/7.json?print=silent {"i":7}');
    expect(sockets.size).toBeGreaterThan(0);
    expect(sockets.size).toBeLessThanOrEqual(3);
  });

  it('gives up on a server that never answers, with an error naming the limit', async () => {
    const { url } = await serve(() => undefined);
    await expect(keepAliveRequest(1)('PUT', `${url}/x.json`, '{}', 200)).rejects.toThrow(/no answer within 200 ms/);
  });
});
