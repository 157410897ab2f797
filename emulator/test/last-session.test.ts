// The `ls` (last session) connection parameter (core/realtime/Connection.ts sends it on
// reconnect): naming an earlier session ends it at once and runs its onDisconnect operations.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshNamespace, onlyOurs, restUrl, startTarget, waitForAsync, type Target } from './harness.js';
import { isReply, request, wireConnect } from './wire-client.js';

let target: Target;
beforeAll(async () => {
  target = await startTarget();
});
afterAll(async () => {
  await target.stop();
});

const presence = async (ns: string): Promise<unknown> => (await fetch(restUrl(target, 'presence', ns))).json();

describe('ls parameter', () => {
  it('a connection naming an earlier live session ends it and runs its onDisconnect', async () => {
    const ns = freshNamespace();
    const first = await wireConnect(target.hostPort, `v=5&ns=${ns}`);
    const handshake = await first.next(() => true);
    const sessionId = (handshake['d'] as { d: { s: string } }).d.s;
    first.send(request(1, 'p', { p: '/presence', d: 'online' }));
    first.send(request(2, 'o', { p: '/presence', d: 'offline' }));
    await first.next(isReply(2));
    expect(await presence(ns)).toBe('online');
    const closed = new Promise<void>((resolve) => first.ws.once('close', () => resolve()));

    const second = await wireConnect(target.hostPort, `v=5&ns=${ns}&ls=${sessionId}`);
    try {
      await second.next(() => true);
      // The earlier socket is still open from the client's side; the server ended its session.
      await waitForAsync(async () => (await presence(ns)) === 'offline', 5000, 'onDisconnect of the earlier session');
      await closed;
    } finally {
      await second.close();
      await first.close();
    }
  });

  it('an unknown or finished session id is ignored', async () => {
    if (!onlyOurs('checks that nothing else is disturbed')) return;
    const ns = freshNamespace();
    const c = await wireConnect(target.hostPort, `v=5&ns=${ns}&ls=not-a-session`);
    try {
      await c.next(() => true);
      c.send(request(1, 'p', { p: '/presence', d: 'here' }));
      await c.next(isReply(1));
      expect(await presence(ns)).toBe('here');
    } finally {
      await c.close();
    }
  });
});
