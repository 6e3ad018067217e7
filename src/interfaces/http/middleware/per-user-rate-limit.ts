import type { Middleware } from 'koa';
import type { RateLimiter } from '../../../application/shared/rate-limiter.port.js';
import { HttpProblem, problem } from '../problem.js';
import { currentUser } from './authenticate.js';

/** The policy's name in the RateLimit and RateLimit-Policy fields. */
const POLICY = '"per-user"';

/**
 * At most `limiter.limit` requests per authenticated user and window (null: no limit), counted
 * where the limiter counts them (one instance's memory, or a store the instances share).
 * Every answer says where the caller stands, in the structured fields of
 * draft-ietf-httpapi-ratelimit-headers: `RateLimit-Policy: "per-user";q=600;w=60` and
 * `RateLimit: "per-user";r=599;t=42` (r requests left, for t more seconds). Past the limit:
 * 429 with Retry-After. Runs after authentication: the key is the verified user id.
 */
export function perUserRateLimit(limiter: RateLimiter | null): Middleware {
  if (!limiter) return (_ctx, next) => next();
  const { limit, windowSeconds } = limiter;
  const policy = `${POLICY};q=${limit};w=${windowSeconds}`;
  return async (ctx, next) => {
    const { allowed, remaining, resetSeconds } = await limiter.hit(currentUser(ctx).id);
    ctx.set('RateLimit-Policy', policy);
    ctx.set('RateLimit', `${POLICY};r=${remaining};t=${resetSeconds}`);
    if (!allowed) {
      throw new HttpProblem(
        problem(
          'rate-limited',
          `Send at most ${limit} requests a minute; wait ${resetSeconds} s (Retry-After) before the next one.`,
        ),
        { 'Retry-After': String(resetSeconds) },
      );
    }
    await next();
  };
}
