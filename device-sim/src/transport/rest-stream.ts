// One REST streaming listen (SSE) kept alive: reconnects with backoff after network failures,
// reopens at once after `auth_revoked` with a fresh token, treats silence longer than the idle
// timeout as a dead link (the server sends `keep-alive` about every 30 s), and ends for good on
// `cancel` (rules no longer allow the read). Event semantics:
// https://firebase.google.com/docs/reference/rest/database#section-streaming
import { SimError, isSimError } from '../errors.js';
import { describeNetworkError } from './http.js';
import type { Backoff } from '../backoff.js';
import type { Clock } from '../clock.js';
import { SseParser } from './sse.js';
import { applyPatch, applyPut, type Json } from '@firelink/model';
import type { SubscriptionHandlers } from './types.js';

export interface StreamOptions {
  /** Idle deadlines and reconnect waits run on this clock (tests pass a ManualClock). */
  clock: Clock;
  open(signal: AbortSignal): Promise<{ response: Response; token: string | null }>;
  authRevoked(token: string | null): Promise<void>;
  idleTimeoutMs: number;
  backoff: () => Backoff;
  onOnline?: (online: boolean) => void;
}

export class RestStream {
  private stopped = false;
  private controller: AbortController | null = null;
  private reopenRequested = false;
  private wake: (() => void) | null = null;
  private readonly backoff: Backoff;

  constructor(
    private readonly path: string,
    private readonly handlers: SubscriptionHandlers,
    private readonly options: StreamOptions,
  ) {
    this.backoff = options.backoff();
  }

  start(): void {
    void this.loop();
  }

  stop(): void {
    this.stopped = true;
    this.controller?.abort();
    this.wake?.();
  }

  /** Drop the current connection and open a new one now (not a failure). */
  reopen(): void {
    this.reopenRequested = true;
    this.controller?.abort();
    this.wake?.();
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      this.reopenRequested = false;
      const controller = new AbortController();
      this.controller = controller;
      try {
        const { response, token } = await this.options.open(controller.signal);
        this.options.onOnline?.(true);
        this.backoff.reset();
        const outcome = await this.read(response, controller);
        if (outcome === 'cancelled') return;
        if (outcome === 'auth-revoked') {
          await this.options.authRevoked(token);
          continue;
        }
        // Server closed the stream: reconnect like after any other failure.
        throw new SimError('unreachable', `stream of /${this.path} closed by the server`, { path: this.path });
      } catch (error) {
        if (this.stopped) return;
        if (this.reopenRequested) continue;
        if (isSimError(error, 'permission-denied') || isSimError(error, 'bad-request') || isSimError(error, 'bad-credentials')) {
          this.handlers.onError(error);
          return;
        }
        this.options.onOnline?.(false);
        this.handlers.onError(
          isSimError(error)
            ? error
            : new SimError('unreachable', `stream of /${this.path} lost: ${describeNetworkError(error)}; reconnecting`, { path: this.path, cause: error }),
        );
        await this.sleep(this.backoff.nextDelayMs());
      }
    }
  }

  private async read(response: Response, controller: AbortController): Promise<'cancelled' | 'auth-revoked' | 'ended'> {
    if (!response.body) return 'ended';
    const parser = new SseParser();
    const decoder = new TextDecoder();
    const reader = response.body.getReader();
    let tree: Json = null;
    const { clock } = this.options;
    let idleTimer = clock.setTimeout(() => controller.abort(), this.options.idleTimeoutMs);
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return 'ended';
        clock.clearTimeout(idleTimer);
        idleTimer = clock.setTimeout(() => controller.abort(), this.options.idleTimeoutMs);
        for (const event of parser.push(decoder.decode(value, { stream: true }))) {
          if (event.event === 'put' || event.event === 'patch') {
            const { path, data } = JSON.parse(event.data) as { path: string; data: Json };
            tree = event.event === 'put' ? applyPut(tree, path, data) : applyPatch(tree, path, data as Record<string, Json>);
            this.handlers.onValue(tree);
          } else if (event.event === 'cancel') {
            this.handlers.onError(new SimError('permission-denied', `listen on /${this.path} cancelled by the server: ${event.data}`, { path: this.path }));
            return 'cancelled';
          } else if (event.event === 'auth_revoked') {
            return 'auth-revoked';
          }
          // keep-alive: only resets the idle timer.
        }
      }
    } finally {
      clock.clearTimeout(idleTimer);
      reader.cancel().catch(() => {});
    }
  }

  private sleep(ms: number): Promise<void> {
    const { clock } = this.options;
    return new Promise((resolve) => {
      const timer = clock.setTimeout(done, ms);
      function done() {
        clock.clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
