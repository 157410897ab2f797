/**
 * Writes to the Realtime Database AS THE DEVICE: REST requests carrying the device's own ID token
 * (`?auth=<idToken>`, https://firebase.google.com/docs/database/rest/auth), so database.rules.json
 * judges every write exactly as if the device had made it and the gateway adds no authority.
 * Answers follow docs/device-sim.md ("The REST protocol"): 401 `Permission denied` is a rules
 * refusal, any other 401 a refused token, no answer or 5xx means unreachable (retried here with a
 * short backoff, then reported so the session can be closed and the device redelivers).
 */
export type WriteOutcome =
  | { ok: true }
  | { ok: false; kind: 'denied' | 'token-refused' | 'bad-request' | 'unavailable'; message: string };

export interface DeviceWriterOptions {
  databaseOrigin: string;
  namespace: string;
  emulated: boolean;
  timeoutMs: number;
  attempts: number;
  fetch?: typeof fetch;
  /** Waits between attempts; injectable so unit tests need no real time. */
  sleep?: (ms: number) => Promise<void>;
}

export const SERVER_TIMESTAMP = { '.sv': 'timestamp' } as const;

export class DeviceWriter {
  private readonly fetch: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: DeviceWriterOptions) {
    this.fetch = options.fetch ?? globalThis.fetch;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  url(path: string, token: string): string {
    const query = new URLSearchParams({ auth: token, print: 'silent' });
    if (this.options.emulated) query.set('ns', this.options.namespace);
    return `${this.options.databaseOrigin}/${path}.json?${query.toString()}`;
  }

  put(path: string, value: unknown, token: string): Promise<WriteOutcome> {
    return this.send('PUT', path, value, token);
  }

  patch(path: string, values: Record<string, unknown>, token: string): Promise<WriteOutcome> {
    return this.send('PATCH', path, values, token);
  }

  private async send(method: 'PUT' | 'PATCH', path: string, body: unknown, token: string): Promise<WriteOutcome> {
    let last: WriteOutcome = { ok: false, kind: 'unavailable', message: 'not attempted' };
    for (let attempt = 1; attempt <= this.options.attempts; attempt += 1) {
      last = await this.once(method, path, body, token);
      if (last.ok || last.kind !== 'unavailable') return last;
      if (attempt < this.options.attempts) await this.sleep(200 * 2 ** (attempt - 1));
    }
    return last;
  }

  private async once(method: string, path: string, body: unknown, token: string): Promise<WriteOutcome> {
    let res: Response;
    try {
      res = await this.fetch(this.url(path, token), {
        method,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (err) {
      return { ok: false, kind: 'unavailable', message: `${method} /${path}: ${err instanceof Error ? err.message : String(err)}` };
    }
    const text = res.status === 204 ? '' : await res.text().catch(() => '');
    if (res.ok) return { ok: true };
    const detail = `${method} /${path}: HTTP ${res.status} ${text.slice(0, 200)}`;
    if (res.status === 401 && /permission denied/i.test(text)) return { ok: false, kind: 'denied', message: detail };
    if (res.status === 401 || res.status === 403) return { ok: false, kind: 'token-refused', message: detail };
    if (res.status >= 500) return { ok: false, kind: 'unavailable', message: detail };
    return { ok: false, kind: 'bad-request', message: detail };
  }
}
