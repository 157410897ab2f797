// A `fetch` for the REST transport that records every reading write and when its answer came
// back, so a test knows exactly which readings a given server process acknowledged.
const READING_PUT = /\/devices\/([^/]+)\/readings\/([^/.?]+)\.json/;

export interface ReadingAck {
  readingId: string;
  status: number;
  /** Date.now() when the HTTP answer arrived. */
  atMs: number;
}

export class WriteRecorder {
  /** Every reading id the device tried to write, in first-attempt order. */
  readonly attempted: string[] = [];
  readonly acks: ReadingAck[] = [];
  readonly fetch: typeof fetch;

  constructor(private readonly deviceId: string) {
    this.fetch = async (input, init) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      const match = init?.method === 'PUT' ? READING_PUT.exec(url) : null;
      const readingId = match && match[1] === this.deviceId ? match[2]! : null;
      if (readingId !== null && !this.attempted.includes(readingId)) this.attempted.push(readingId);
      const response = await fetch(input, init);
      if (readingId !== null) this.acks.push({ readingId, status: response.status, atMs: Date.now() });
      return response;
    };
  }

  /** Ids whose successful answer arrived in [fromMs, toMs). */
  ackedBetween(fromMs: number, toMs: number): Set<string> {
    return new Set(this.acks.filter((a) => a.status >= 200 && a.status < 300 && a.atMs >= fromMs && a.atMs < toMs).map((a) => a.readingId));
  }
}
