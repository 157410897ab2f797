// Conformance: the long-polling transport and its upgrade to a WebSocket (docs/protocol.md §11), driven
// exactly as core/realtime/BrowserPollConnection.ts and Connection.ts do in a browser.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshNamespace, restUrl, startTarget, type Target } from './harness.js';
import { isReply, request, wireConnect } from './wire-client.js';

let target: Target;
beforeAll(async () => {
  target = await startTarget();
});
afterAll(async () => {
  await target.stop();
});

interface Calls {
  commands: unknown[][];
  data: [number, Record<string, unknown>[]][];
}

/** Runs a long-poll response script against stand-ins for the page's callbacks. */
function runScript(script: string, cb: string, calls: Calls): void {
  const window: Record<string, unknown> = {
    ['pLPCommand' + cb]: (...args: unknown[]) => calls.commands.push(args),
    ['pRTLPCB' + cb]: (n: number, d: Record<string, unknown>[]) => calls.data.push([n, d]),
  };
  new Function('parent', script)({ window });
}

/** The SDK's URL-safe base64 with `.` padding (@firebase/util base64Encode(str, true)). */
function segment(message: object): string {
  return Buffer.from(JSON.stringify(message)).toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=/g, '.');
}

describe('long polling', () => {
  it('starts with the handshake, carries requests in segments, and upgrades to a WebSocket', async () => {
    const ns = freshNamespace();
    await fetch(restUrl(target, 'a', ns), { method: 'PUT', body: '{"x":1}' });
    const cb = '3';
    const calls: Calls = { commands: [], data: [] };
    const base = `http://${target.hostPort}/.lp`;
    const start = await fetch(`${base}?start=t&ser=123&cb=${cb}&v=5&ns=${ns}`);
    expect(start.headers.get('content-type')).toMatch(/javascript/);
    runScript(await start.text(), cb, calls);
    expect(calls.commands[0]![0]).toBe('start');
    const [, id, pw] = calls.commands[0] as [string, string, string];
    expect(calls.data[0]![0]).toBe(0);
    const handshake = calls.data[0]![1][0] as { t: string; d: { t: string; d: { s: string; h: string } } };
    expect(handshake.d.t).toBe('h');
    expect(handshake.d.d.h).toBe(target.hostPort);

    // A listen split over two segments of one packet, as enqueueSegment does.
    const encoded = segment(request(1, 'q', { p: '/a', h: '' }));
    const half = Math.ceil(encoded.length / 2);
    const poll = await fetch(`${base}?id=${id}&pw=${pw}&ser=124&ns=${ns}&seg0=0&ts0=2&d0=${encoded.slice(0, half)}&seg1=1&ts1=2&d1=${encoded.slice(half)}`);
    runScript(await poll.text(), cb, calls);
    const [n, envelopes] = calls.data[1]!;
    expect(n).toBe(1);
    expect(envelopes).toEqual([
      { t: 'd', d: { a: 'd', b: { p: '/a', d: { x: 1 } } } },
      { t: 'd', d: { r: 1, b: { s: 'ok', d: {} } } },
    ]);

    // Upgrade: secondary WebSocket with s=<session>; server starts with `a`, answers pings.
    const ws = await wireConnect(target.hostPort, `v=5&ns=${ns}&s=${handshake.d.d.s}`);
    try {
      expect(await ws.next(() => true)).toEqual({ t: 'c', d: { t: 'a', d: {} } });
      ws.send({ t: 'c', d: { t: 'p', d: {} } });
      ws.send({ t: 'c', d: { t: 'p', d: {} } });
      await ws.next((m) => (m['d'] as { t?: string }).t === 'o');
      ws.send({ t: 'c', d: { t: 'a', d: {} } });
      const end = await fetch(`${base}?id=${id}&pw=${pw}&ser=125&ns=${ns}&seg0=2&ts0=1&d0=${segment({ t: 'c', d: { t: 'n', d: {} } })}`);
      runScript(await end.text(), cb, calls);
      expect(calls.data[2]).toEqual([2, [{ t: 'c', d: { t: 'n', d: {} } }]]);
      // The same session continues on the WebSocket: the listen from long polling still fires.
      ws.send(request(2, 'p', { p: '/a/x', d: 2 }));
      await ws.next(isReply(2));
      expect(ws.messages.filter((m) => (m['d'] as { a?: string }).a === 'd')).toEqual([{ t: 'd', d: { a: 'd', b: { p: '/a/x', d: 2 } } }]);
      // Later polls are told to close.
      const late = await fetch(`${base}?id=${id}&pw=${pw}&ser=126&ns=${ns}`);
      runScript(await late.text(), cb, calls);
      expect(calls.commands.at(-1)).toEqual(['close', undefined, undefined, undefined, undefined]);
    } finally {
      await ws.close();
    }
  });

  it('tells a poll with an unknown id to close', async () => {
    const calls: Calls = { commands: [], data: [] };
    const res = await fetch(`http://${target.hostPort}/.lp?id=nope&pw=x&ser=1&cb=9`);
    runScript(await res.text(), '9', calls);
    expect(calls.commands).toEqual([['close']]);
  });
});
