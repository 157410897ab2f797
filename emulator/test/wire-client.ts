// A raw WebSocket client that speaks frames exactly as given, for golden wire vectors.
import { Received } from './received.js';
import WebSocket from 'ws';

export interface WireClient {
  /** Every text frame received, in order. */
  readonly frames: string[];
  /** Parsed complete messages (count frames reassembled), in order. */
  readonly messages: Record<string, unknown>[];
  send(frame: string | object): void;
  /** Resolves with the first message at or after index `from` matching `pred`. */
  next(pred: (m: Record<string, unknown>) => boolean, from?: number, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Index of the first message matching, or -1. */
  indexOf(pred: (m: Record<string, unknown>) => boolean): number;
  readonly ws: WebSocket;
  close(): Promise<void>;
}

export async function wireConnect(hostPort: string, query: string, headers: Record<string, string> = {}): Promise<WireClient> {
  const ws = new WebSocket(`ws://${hostPort}/.ws?${query}`, { headers });
  const frames: string[] = [];
  const received = new Received<Record<string, unknown>>();
  const messages = received.items;
  let pending = 0;
  let parts: string[] = [];
  ws.on('message', (data) => {
    const text = data.toString();
    frames.push(text);
    if (pending > 0) {
      parts.push(text);
      if (--pending > 0) return;
      received.push(JSON.parse(parts.join('')) as Record<string, unknown>);
      parts = [];
    } else if (text.length <= 6 && /^\d+$/.test(text)) {
      pending = Number(text);
    } else {
      received.push(JSON.parse(text) as Record<string, unknown>);
    }
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return {
    frames,
    messages,
    ws,
    send(frame) {
      ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
    },
    indexOf(pred) {
      return messages.findIndex(pred);
    },
    next(pred, from = 0, timeoutMs = 5000) {
      return received.next(pred, from, timeoutMs, () => `no matching message; got ${JSON.stringify(messages).slice(0, 2000)}`);
    },
    close() {
      return new Promise((resolve) => {
        if (ws.readyState === ws.CLOSED) return resolve();
        ws.once('close', () => resolve());
        ws.close();
      });
    },
  };
}

/** Data request envelope as the SDK frames it (core/PersistentConnection.ts sendRequest). */
export function request(r: number, a: string, b: unknown): object {
  return { t: 'd', d: { r, a, b } };
}

export const isReply = (r: number) => (m: Record<string, unknown>) => m['t'] === 'd' && (m['d'] as { r?: unknown }).r === r;
export const isPush = (a: string) => (m: Record<string, unknown>) => m['t'] === 'd' && (m['d'] as { a?: unknown; r?: unknown }).a === a && (m['d'] as { r?: unknown }).r === undefined;

/** An unsigned mock ID token like @firebase/util createMockUserToken. */
export function mockToken(claims: Record<string, unknown>): string {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const payload = { iss: 'https://securetoken.google.com/demo-firelink', aud: 'demo-firelink', iat: 0, exp: 3600, auth_time: 0, firebase: { sign_in_provider: 'custom', identities: {} }, ...claims };
  return `${b64({ alg: 'none', type: 'JWT' })}.${b64(payload)}.`;
}
