import type { Context, Middleware } from 'koa';
import { HttpProblem, problem } from '../problem.js';

/**
 * At most `max` requests in progress at once (those `exempt` says aside): one more is answered 503
 * with Retry-After at once, instead of queueing behind work a stalled database may not finish. A
 * request counts until its work ends, even when its deadline has answered it already.
 */
export function inFlightLimit(max: number, exempt: (ctx: Context) => boolean): Middleware {
  let inFlight = 0;
  return async (ctx, next) => {
    if (exempt(ctx)) return next();
    if (inFlight >= max) {
      throw new HttpProblem(
        problem(
          'overloaded',
          'This instance is already working on as many requests as it takes at once. Retry in a moment.',
        ),
        { 'Retry-After': '1' },
      );
    }
    inFlight += 1;
    try {
      await next();
    } finally {
      inFlight -= 1;
    }
  };
}
