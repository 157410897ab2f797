// Keeps a device's ID token fresh: refreshes it a margin before expiry (5 minutes like the
// firebase Auth SDK's token manager, but at most a quarter of the lifetime so short-lived test
// tokens work), once at a time, and on demand when a server rejects it. When the refresh token
// itself is refused the device signs in again with its password.
import { isSimError } from '../errors.js';
import type { Session } from './auth.js';

export interface TokenKeeperOptions {
  refresh: (refreshToken: string) => Promise<Session>;
  signIn: () => Promise<Session>;
  nowMs: () => number;
  refreshMarginMs: number;
  /** Treat tokens as expiring no later than this after issue (tests with compressed lifetimes). */
  maxLifetimeMs?: number | undefined;
  onRefresh?: (session: Session, reason: 'expiring' | 'rejected' | 'signed-in-again') => void;
}

export class TokenKeeper {
  private session: Session;
  private issuedAtMs: number;
  private inFlight: Promise<Session> | null = null;
  refreshCount = 0;

  constructor(initial: Session, private readonly options: TokenKeeperOptions) {
    this.session = initial;
    this.issuedAtMs = options.nowMs();
  }

  get current(): Session {
    return this.session;
  }

  /** When a refresh is due, local clock ms. */
  refreshDueAtMs(): number {
    const expiresAtMs = Math.min(
      this.session.expiresAtMs,
      this.options.maxLifetimeMs === undefined ? Infinity : this.issuedAtMs + this.options.maxLifetimeMs,
    );
    const lifetimeMs = Math.max(0, expiresAtMs - this.issuedAtMs);
    return expiresAtMs - Math.min(this.options.refreshMarginMs, lifetimeMs / 4);
  }

  /** A valid ID token, refreshed first when due. */
  async idToken(): Promise<string> {
    if (this.options.nowMs() >= this.refreshDueAtMs()) await this.renew('expiring');
    return this.session.idToken;
  }

  /** The server refused the current token: get a new one (shared with concurrent callers). */
  async tokenRejected(rejectedToken: string): Promise<string> {
    if (rejectedToken !== this.session.idToken) return this.session.idToken;
    await this.renew('rejected');
    return this.session.idToken;
  }

  private renew(reason: 'expiring' | 'rejected'): Promise<Session> {
    if (!this.inFlight) {
      this.inFlight = this.doRenew(reason).finally(() => {
        this.inFlight = null;
      });
    }
    return this.inFlight;
  }

  private async doRenew(reason: 'expiring' | 'rejected'): Promise<Session> {
    let next: Session;
    let why: 'expiring' | 'rejected' | 'signed-in-again' = reason;
    try {
      next = await this.options.refresh(this.session.refreshToken);
    } catch (error) {
      if (!isSimError(error, 'bad-credentials')) throw error;
      next = await this.options.signIn();
      why = 'signed-in-again';
    }
    this.session = next;
    this.issuedAtMs = this.options.nowMs();
    this.refreshCount += 1;
    this.options.onRefresh?.(next, why);
    return next;
  }
}
