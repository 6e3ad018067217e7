/** What one request may do, and what is left of its window. */
export interface LimitDecision {
  readonly allowed: boolean;
  /** Requests still allowed in the current window. */
  readonly remaining: number;
  /** Whole seconds until the window ends and the quota is full again (at least 1). */
  readonly resetSeconds: number;
}

export interface FixedWindowLimiterOptions {
  /** Requests allowed per key and window. */
  readonly limit: number;
  readonly windowMs: number;
  /** Keys tracked at most; past it the oldest window is forgotten. */
  readonly maxKeys?: number;
  /** Milliseconds on a clock that never steps back. */
  readonly now?: () => number;
}

interface Window {
  count: number;
  readonly endsAt: number;
}

/**
 * Counts requests per key in fixed windows that start with a key's first request. Memory is
 * bounded: windows live in a Map in the order they started, which is the order they end, so the
 * expired ones are always at its front and are dropped as each request comes in.
 */
export class FixedWindowLimiter {
  private readonly windows = new Map<string, Window>();
  private readonly maxKeys: number;
  private readonly now: () => number;

  constructor(private readonly options: FixedWindowLimiterOptions) {
    this.maxKeys = options.maxKeys ?? 100_000;
    this.now = options.now ?? (() => performance.now());
  }

  /** Counts one request for `key`, unless its window's quota is used up. */
  hit(key: string): LimitDecision {
    const now = this.now();
    this.dropExpired(now);
    let window = this.windows.get(key);
    if (!window) {
      window = { count: 0, endsAt: now + this.options.windowMs };
      this.windows.set(key, window);
      if (this.windows.size > this.maxKeys) this.dropOldest();
    }
    const allowed = window.count < this.options.limit;
    if (allowed) window.count += 1;
    return {
      allowed,
      remaining: this.options.limit - window.count,
      resetSeconds: Math.max(1, Math.ceil((window.endsAt - now) / 1000)),
    };
  }

  /** Keys with a window still open (or not yet dropped). */
  get size(): number {
    return this.windows.size;
  }

  private dropExpired(now: number): void {
    for (const [key, window] of this.windows) {
      if (window.endsAt > now) return;
      this.windows.delete(key);
    }
  }

  private dropOldest(): void {
    const oldest = this.windows.keys().next();
    if (!oldest.done) this.windows.delete(oldest.value);
  }
}
