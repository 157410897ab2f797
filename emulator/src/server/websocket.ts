// The `/.ws` transport: frames in and out of a Session (spec §1.3–§1.5).
import type { RequestTarget } from './http-util.js';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import { namespaceOf, type EmulatorCore } from '../core.js';
import { encodeFrames, FrameDecoder } from './framing.js';
import { Session } from './session.js';

/** Wires one accepted WebSocket to a new session; returns it for fault injection. */
export function acceptWebSocket(core: EmulatorCore, ws: WebSocket, req: IncomingMessage, url: RequestTarget): Session {
  const remote = `${req.socket.remoteAddress ?? '?'}:${req.socket.remotePort ?? '?'}`;
  const ns = core.namespace(namespaceOf(url.searchParams, req.headers.host));
  core.endSession(url.searchParams.get('ls'));
  // Everything sent in one tick (a batch of acks, pushes from one write) leaves in one
  // syscall: cork on the first send, uncork on the next tick.
  const socket = (ws as unknown as { _socket?: Socket })._socket;
  let corked = false;
  const send = (envelope: unknown): void => {
    if (ws.readyState !== ws.OPEN) return;
    if (!corked && socket !== undefined) {
      corked = true;
      socket.cork();
      process.nextTick(() => {
        corked = false;
        socket.uncork();
      });
    }
    for (const frame of encodeFrames(envelope)) ws.send(frame);
    // Slow consumer: past the bound, drop it rather than buffer without end (its onDisconnect runs).
    const buffered = ws.bufferedAmount;
    if (buffered > core.config.maxClientBufferBytes) {
      core.logs.slowConsumerDropped({ transport: 'websocket', ns: ns.name, remote, bufferedBytes: buffered, limitBytes: core.config.maxClientBufferBytes });
      ws.terminate();
    }
  };
  const session = new Session({
    ns,
    // Clients adopt `h` for reconnects, so echo the Host they used (spec §6.2).
    host: req.headers.host ?? `${core.config.host}:${core.config.port}`,
    tokenPolicy: core.tokenPolicy,
    logs: core.logs,
    transport: 'websocket',
    send,
    onIndexMissing: (path, index) => core.warnIndex(ns, path, index),
    whenDurable: (fn) => core.whenDurable(fn),
  });
  const unregister = core.registerSession(session.id, () => {
    session.close();
    ws.terminate();
  });
  send(session.handshake());
  const decoder = new FrameDecoder();
  ws.on('message', (data, isBinary) => {
    if (isBinary) return session.protocolError('binary frames are not part of the protocol');
    const result = decoder.push(Array.isArray(data) ? Buffer.concat(data).toString('utf8') : data.toString());
    if (result.kind === 'message') session.handle(result.value);
    else if (result.kind === 'error') {
      if (result.requestId !== null) send({ t: 'd', d: { r: result.requestId, b: { s: result.error.code, d: result.error.message } } });
      else session.protocolError(result.error.message);
    }
  });
  ws.on('error', (e) => core.logs.connectionError({ transport: 'websocket', ns: ns.name, remote, error: e.message }));
  ws.on('close', () => {
    unregister();
    session.close();
  });
  return session;
}
