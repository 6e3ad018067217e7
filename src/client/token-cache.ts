/** Where a JWT comes from: Better Auth's /api/auth/token, or anything the app supplies. */
export type TokenSource = () => Promise<string | null>;

export interface TokenCacheOptions {
  /** Refresh this long before `exp` (capped at half the token's lifetime). Default 30 s. */
  readonly refreshMarginMs?: number;
  /** For tests: the current time in milliseconds. */
  readonly now?: () => number;
}

interface CachedToken {
  readonly token: string;
  readonly refreshAt: number;
}

/**
 * Holds the current JWT in memory only (never localStorage, where any injected script could read
 * it), fetches a new one shortly before it expires, and makes concurrent callers share one fetch.
 */
export class TokenCache {
  private cached: CachedToken | null = null;
  private pending: Promise<string | null> | null = null;
  /** Bumped by store() and clear(): a fetch started before must not overwrite their result. */
  private generation = 0;
  private readonly margin: number;
  private readonly now: () => number;

  constructor(
    private readonly source: TokenSource,
    options: TokenCacheOptions = {},
  ) {
    this.margin = options.refreshMarginMs ?? 30_000;
    this.now = options.now ?? (() => Date.now());
  }

  /** A token that is not about to expire, or null when the user is not signed in. */
  async get(): Promise<string | null> {
    if (this.cached && this.now() < this.cached.refreshAt) return this.cached.token;
    return this.refresh();
  }

  /** Drops the cached token and fetches another (shared by concurrent callers). */
  refresh(): Promise<string | null> {
    if (this.pending) return this.pending;
    const generation = this.generation;
    const pending = this.source()
      .then((token) => {
        if (generation !== this.generation) return this.cached?.token ?? null;
        this.save(token);
        return token;
      })
      .finally(() => {
        if (this.pending === pending) this.pending = null;
      });
    this.pending = pending;
    return pending;
  }

  /**
   * A replacement for `rejected`, a token the API refused: the one already cached when another
   * caller has replaced it meanwhile, a freshly fetched one otherwise.
   */
  async replace(rejected: string): Promise<string | null> {
    if (this.cached && this.cached.token !== rejected && this.now() < this.cached.refreshAt) {
      return this.cached.token;
    }
    return this.refresh();
  }

  /** Seeds the cache, e.g. with the `set-auth-jwt` header of a Better Auth session call. */
  store(token: string | null): void {
    this.generation += 1;
    this.pending = null;
    this.save(token);
  }

  /** Forgets the token (on sign-out); a fetch still under way is ignored when it lands. */
  clear(): void {
    this.store(null);
  }

  private save(token: string | null): void {
    this.cached = token ? { token, refreshAt: this.refreshTime(token) } : null;
  }

  private refreshTime(token: string): number {
    const claims = readClaims(token);
    if (typeof claims.exp !== 'number') return this.now();
    const expiresAt = claims.exp * 1000;
    const issuedAt = typeof claims.iat === 'number' ? claims.iat * 1000 : this.now();
    const margin = Math.min(this.margin, (expiresAt - issuedAt) / 2);
    return expiresAt - margin;
  }
}

/** The payload of a JWT, read without verifying it: the API verifies, the client only plans. */
export function readClaims(token: string): { sub?: string; exp?: number; iat?: number } {
  try {
    const payload = token.split('.')[1] ?? '';
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/');
    const json = new TextDecoder().decode(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)));
    const claims: unknown = JSON.parse(json);
    return typeof claims === 'object' && claims !== null ? claims : {};
  } catch {
    return {};
  }
}
