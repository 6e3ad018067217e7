import type { Middleware } from 'koa';
import { HttpProblem, problem } from '../problem.js';
import { FixedWindowLimiter } from '../rate-limit/fixed-window-limiter.js';
import { currentUser } from './authenticate.js';

const WINDOW_SECONDS = 60;
/** The policy's name in the RateLimit and RateLimit-Policy fields. */
const POLICY = '"per-user"';

/**
 * At most `requestsPerMinute` requests per authenticated user on this instance (0: no limit).
 * Every answer says where the caller stands, in the structured fields of
 * draft-ietf-httpapi-ratelimit-headers: `RateLimit-Policy: "per-user";q=600;w=60` and
 * `RateLimit: "per-user";r=599;t=42` (r requests left, for t more seconds). Past the limit:
 * 429 with Retry-After. Runs after authentication: the key is the verified user id.
 */
export function perUserRateLimit(requestsPerMinute: number, now?: () => number): Middleware {
  if (requestsPerMinute === 0) return (_ctx, next) => next();
  const limiter = new FixedWindowLimiter({
    limit: requestsPerMinute,
    windowMs: WINDOW_SECONDS * 1000,
    ...(now ? { now } : {}),
  });
  const policy = `${POLICY};q=${requestsPerMinute};w=${WINDOW_SECONDS}`;
  return async (ctx, next) => {
    const { allowed, remaining, resetSeconds } = limiter.hit(currentUser(ctx).id);
    ctx.set('RateLimit-Policy', policy);
    ctx.set('RateLimit', `${POLICY};r=${remaining};t=${resetSeconds}`);
    if (!allowed) {
      throw new HttpProblem(
        problem(
          'rate-limited',
          `Send at most ${requestsPerMinute} requests a minute; wait ${resetSeconds} s (Retry-After) before the next one.`,
        ),
        { 'Retry-After': String(resetSeconds) },
      );
    }
    await next();
  };
}
