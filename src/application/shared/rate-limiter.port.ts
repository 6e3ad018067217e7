/** What one request may do, and where its caller stands in the current window. */
export interface LimitDecision {
  readonly allowed: boolean;
  /** Requests still allowed in the current window (as far as this instance knows). */
  readonly remaining: number;
  /** Whole seconds until the window ends and the quota is full again (at least 1). */
  readonly resetSeconds: number;
}

/**
 * At most `limit` requests per key in each window of `windowSeconds`, counted across every
 * instance that shares the limiter's store. `hit` counts one request and never throws: when the
 * shared store cannot be reached, the request is counted in this instance's memory instead.
 */
export interface RateLimiter {
  readonly limit: number;
  readonly windowSeconds: number;
  hit(key: string): Promise<LimitDecision>;
}
