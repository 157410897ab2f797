// A minimal SSE reader over fetch for the conformance suite (docs/protocol.md §13).
import { Received } from './received.js';
export interface SseEvent {
  event: string;
  data: unknown;
}

export interface SseStream {
  readonly events: SseEvent[];
  readonly raw: string[];
  /** Resolves with the first event (from index `from`) matching `pred`. */
  next(pred: (e: SseEvent) => boolean, timeoutMs?: number, from?: number): Promise<SseEvent>;
  readonly status: number;
  readonly contentType: string | null;
  close(): void;
}

export async function openSse(url: string, headers: Record<string, string> = {}): Promise<SseStream> {
  const controller = new AbortController();
  const res = await fetch(url, { headers: { Accept: 'text/event-stream', ...headers }, signal: controller.signal });
  const received = new Received<SseEvent>();
  const events = received.items;
  const raw: string[] = [];
  if (res.ok && res.body) {
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    void (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          const text = decoder.decode(value, { stream: true });
          raw.push(text);
          buffer += text;
          let idx: number;
          while ((idx = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, idx);
            buffer = buffer.slice(idx + 2);
            const lines = block.split('\n');
            const event = lines.find((l) => l.startsWith('event: '))?.slice(7) ?? '';
            const dataLine = lines.find((l) => l.startsWith('data: '))?.slice(6) ?? 'null';
            received.push({ event, data: JSON.parse(dataLine) as unknown });
          }
        }
      } catch {
        // aborted
      }
      received.wake();
    })();
  }
  return {
    events,
    raw,
    status: res.status,
    contentType: res.headers.get('content-type'),
    next(pred, timeoutMs = 5000, from = 0) {
      return received.next(pred, from, timeoutMs, () => `no matching SSE event within ${timeoutMs} ms; got ${JSON.stringify(events)}`);
    },
    close() {
      controller.abort();
    },
  };
}
