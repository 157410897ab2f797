// The REST transport's requests are the firmware's specification: these tests pin the exact
// method, URL, headers and body of each, and the token handling, against a local HTTP server.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Backoff } from '../backoff.js';
import { ManualClock, flushMicrotasks, systemClock } from '../clock.js';
import { seededRandom } from '../random.js';
import { RestTransport, databaseUrl } from './rest.js';
import type { Json } from '@firelink/model';

interface Seen {
  method: string;
  url: string;
  accept: string | undefined;
  body: string;
}

let server: Server | null = null;
afterEach(async () => {
  const running = server;
  server = null;
  if (!running) return;
  running.closeAllConnections();
  await new Promise((r) => running.close(r));
});

async function serve(handler: (req: IncomingMessage, res: ServerResponse, body: string) => void): Promise<{ origin: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, accept: req.headers.accept, body });
      handler(req, res, body);
    });
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return { origin: `http://127.0.0.1:${(server!.address() as AddressInfo).port}`, seen };
}

function tokens(initial = 'T1') {
  let current = initial;
  let n = 1;
  return {
    rejected: [] as string[],
    async idToken() {
      return current;
    },
    async tokenRejected(token: string) {
      this.rejected.push(token);
      n += 1;
      current = `T${n}`;
      return current;
    },
  };
}

function transport(origin: string, t = tokens()) {
  return new RestTransport({
    location: { origin, namespace: 'demo-firelink-default-rtdb' },
    auth: { kind: 'user', tokens: t },
    fetch,
    requestTimeoutMs: 2_000,
    stream: { clock: systemClock, idleTimeoutMs: 5_000, backoff: () => new Backoff({ baseMs: 10, maxMs: 20, random: seededRandom(1) }) },
  });
}

describe('REST requests (the firmware contract)', () => {
  it('builds database URLs with path segments encoded and ns only for the emulator', () => {
    expect(databaseUrl({ origin: 'http://h:1', namespace: 'ns1' }, 'devices/a b/x', { auth: 't' })).toBe('http://h:1/devices/a%20b/x.json?auth=t&ns=ns1');
    expect(databaseUrl({ origin: 'https://p.firebaseio.com', namespace: null }, '/devices/d1/', {})).toBe('https://p.firebaseio.com/devices/d1.json');
  });

  it('sends a reading, a status and an ack exactly as documented', async () => {
    const { origin, seen } = await serve((_req, res) => {
      res.writeHead(204).end();
    });
    const rest = transport(origin);
    await rest.set('devices/d1/readings/-Nabc', { ir: 10, seq: 1 });
    await rest.set('devices/d1/status', { online: true, lastSeen: { '.sv': 'timestamp' }, fw: 'sim-0.1.0' });
    await rest.update('devices/d1/commands/-C1', { ackAt: { '.sv': 'timestamp' }, result: { status: 'ok' } });
    await rest.remove('devices/d1/commands/-C1');
    expect(seen.map((s) => `${s.method} ${s.url} ${s.body}`)).toEqual([
      'PUT /devices/d1/readings/-Nabc.json?print=silent&auth=T1&ns=demo-firelink-default-rtdb {"ir":10,"seq":1}',
      'PUT /devices/d1/status.json?print=silent&auth=T1&ns=demo-firelink-default-rtdb {"online":true,"lastSeen":{".sv":"timestamp"},"fw":"sim-0.1.0"}',
      'PATCH /devices/d1/commands/-C1.json?print=silent&auth=T1&ns=demo-firelink-default-rtdb {"ackAt":{".sv":"timestamp"},"result":{"status":"ok"}}',
      'DELETE /devices/d1/commands/-C1.json?print=silent&auth=T1&ns=demo-firelink-default-rtdb ',
    ]);
  });

  it('refreshes the token once on a refused token, but not on "Permission denied"', async () => {
    const { origin, seen } = await serve((req, res) => {
      if (req.url!.includes('auth=T1')) res.writeHead(401).end('{"error":"Auth token is expired."}');
      else if (req.url!.startsWith('/denied')) res.writeHead(401).end('{"error":"Permission denied"}');
      else res.writeHead(200).end('{"angle":5}');
    });
    const t = tokens();
    const rest = transport(origin, t);
    expect(await rest.get('devices/d1/state')).toEqual({ angle: 5 });
    expect(t.rejected).toEqual(['T1']);
    await expect(rest.get('denied/x')).rejects.toMatchObject({ code: 'permission-denied', path: 'denied/x', message: expect.stringContaining('GET /denied/x') });
    expect(t.rejected).toEqual(['T1']);
    expect(seen.map((s) => s.url.split('?')[0])).toEqual(['/devices/d1/state.json', '/devices/d1/state.json', '/denied/x.json']);
  });

  it('sends query parameters JSON-encoded', async () => {
    const { origin, seen } = await serve((_req, res) => res.writeHead(200).end('{}'));
    await transport(origin).get('devices/d1/commands', { orderBy: { kind: 'child', child: 'createdAt' }, startAt: 5, limitToFirst: 2 });
    expect(new URL(seen[0]!.url, origin).searchParams.toString()).toBe('orderBy=%22createdAt%22&startAt=5&limitToFirst=2&auth=T1&ns=demo-firelink-default-rtdb');
  });

  it('listens with Accept: text/event-stream, applies put/patch, and reopens with a new token after auth_revoked', async () => {
    let streams = 0;
    const { origin, seen } = await serve((req, res) => {
      streams += 1;
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      if (streams === 1) {
        res.write('event: put\ndata: {"path":"/","data":{"angle":1,"lcd":{"line1":"a"}}}\n\n');
        res.write('event: patch\ndata: {"path":"/lcd","data":{"line2":"b"}}\n\n');
        res.end('event: auth_revoked\ndata: "Auth token is expired."\n\n');
      } else {
        res.write('event: keep-alive\ndata: null\n\nevent: put\ndata: {"path":"/angle","data":2}\n\n');
      }
      void req;
    });
    const t = tokens();
    const values: Json[] = [];
    const unsubscribe = transport(origin, t).subscribe('devices/d1/state', { onValue: (v) => values.push(v), onError: () => {} });
    for (let i = 0; i < 100 && values.length < 3; i += 1) await new Promise((r) => setTimeout(r, 10));
    unsubscribe();
    await flushMicrotasks();
    expect(values).toEqual([{ angle: 1, lcd: { line1: 'a' } }, { angle: 1, lcd: { line1: 'a', line2: 'b' } }, { angle: 2 }]);
    expect(seen.map((s) => [s.accept, s.url])).toEqual([
      ['text/event-stream', '/devices/d1/state.json?auth=T1&ns=demo-firelink-default-rtdb'],
      ['text/event-stream', '/devices/d1/state.json?auth=T2&ns=demo-firelink-default-rtdb'],
    ]);
  });

  it('ends a listen for good on cancel, reporting permission denied with the path', async () => {
    const { origin } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end('event: cancel\ndata: "Permission denied."\n\n');
    });
    const errors: { code: string; path: string | undefined }[] = [];
    transport(origin).subscribe('devices/d2/state', { onValue: () => {}, onError: (e) => errors.push({ code: e.code, path: e.path }) });
    for (let i = 0; i < 100 && errors.length === 0; i += 1) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 50));
    expect(errors).toEqual([{ code: 'permission-denied', path: 'devices/d2/state' }]);
  });

  it('treats a silent stream as a dead link and reconnects', async () => {
    let opened = 0;
    const { origin } = await serve((_req, res) => {
      opened += 1;
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      // First connection: the initial put, then silence (no keep-alive).
      res.write(`event: put\ndata: {"path":"/","data":${opened}}\n\n`);
    });
    const clock = new ManualClock();
    const rest = new RestTransport({
      location: { origin, namespace: null },
      auth: { kind: 'none' },
      fetch,
      requestTimeoutMs: 2_000,
      stream: { clock, idleTimeoutMs: 150, backoff: () => new Backoff({ baseMs: 10, maxMs: 20, random: seededRandom(1) }) },
    });
    const values: Json[] = [];
    const errors: string[] = [];
    const unsubscribe = rest.subscribe('x', { onValue: (v) => values.push(v), onError: (e) => errors.push(e.code) });
    // Real I/O needs real turns of the event loop (bounded polls); the idle deadline and the
    // reconnect wait run on the manual clock only.
    for (let i = 0; i < 200 && values.length < 1; i += 1) await new Promise((r) => setTimeout(r, 10));
    expect(values).toEqual([1]);
    await clock.advance(150);
    for (let i = 0; i < 200 && values.length < 2; i += 1) {
      await clock.advance(20);
      await new Promise((r) => setTimeout(r, 10));
    }
    unsubscribe();
    expect(values.slice(0, 2)).toEqual([1, 2]);
    expect(errors[0]).toBe('unreachable');
  });
});
