// The RTDB REST streaming protocol is Server-Sent Events
// (https://firebase.google.com/docs/reference/rest/database#section-streaming). Parsing is
// eventsource-parser's (the WHATWG event-stream rules: chunks split anywhere, \n, \r\n or \r line
// ends, comments, multi-line data); this adapter only collects the events of each chunk.
import { createParser, type EventSourceParser } from 'eventsource-parser';

export interface SseEvent {
  event: string;
  data: string;
}

export class SseParser {
  private pending: SseEvent[] = [];
  private readonly parser: EventSourceParser = createParser({
    onEvent: (message) => this.pending.push({ event: message.event ?? 'message', data: message.data }),
  });

  /** Feeds a chunk; returns the events it completed. */
  push(chunk: string): SseEvent[] {
    this.parser.feed(chunk);
    const events = this.pending;
    this.pending = [];
    return events;
  }
}
