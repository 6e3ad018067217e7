import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

/**
 * The insurance limiter of a shared store (rate-limiter-flexible's `insuranceLimiter`): counts in
 * this instance's memory what the store could not, and remembers which answers it gave, so that
 * the limiter on top can tell an outage from the store's own answer.
 */
export class MemoryFallbackLimiter extends RateLimiterMemory {
  private readonly answers = new WeakSet<RateLimiterRes>();

  override consume(
    key: string | number,
    points?: number,
    options?: Record<string, unknown>,
  ): Promise<RateLimiterRes> {
    return super.consume(key, points, options).then(
      (res) => this.mark(res),
      (refusal: unknown) => {
        throw refusal instanceof RateLimiterRes ? this.mark(refusal) : refusal;
      },
    );
  }

  /** Whether this answer came from here, not from the shared store. */
  answered(res: RateLimiterRes): boolean {
    return this.answers.has(res);
  }

  private mark(res: RateLimiterRes): RateLimiterRes {
    this.answers.add(res);
    return res;
  }
}
