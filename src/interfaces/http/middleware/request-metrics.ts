import type { Middleware } from 'koa';
import { routeTemplate } from '../route-template.js';

/** Which limit refused a request (429). */
export type RateLimiterName = 'per_user' | 'better_auth';

/**
 * Where the HTTP layer reports what it served (a metrics adapter; the composition root picks it).
 * Every value passed is bounded: a method of a fixed list, a route template, a status.
 */
export interface HttpMetricsRecorder {
  /** One answered request: its method, its route's template, its status and how long it took. */
  requestHandled(method: string, route: string, status: number, seconds: number): void;
  /** A request refused with 429 by a rate limit. */
  rateLimited(limiter: RateLimiterName): void;
  /** An event stream was opened or has ended (issue 20's streams call these). */
  eventStreamOpened(): void;
  eventStreamClosed(): void;
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * Reports every request once it is answered: method (any other is `OTHER`), route template (never
 * the raw path: see routeTemplate), status and duration. Runs first, so the status is the one
 * sent, problems included.
 */
export function requestMetrics(recorder: HttpMetricsRecorder, authBasePath: string): Middleware {
  return async (ctx, next) => {
    const started = performance.now();
    // What Koa answers an error that gets past the problem handler (none should).
    let status = 500;
    try {
      await next();
      // respond === false: Better Auth wrote the answer itself.
      status = ctx.respond === false ? ctx.res.statusCode : ctx.status;
    } catch (error) {
      const { status: given } = error as { status?: unknown };
      if (typeof given === 'number' && given >= 400 && given < 600) status = given;
      throw error;
    } finally {
      const route = routeTemplate(ctx);
      const method = METHODS.has(ctx.method) ? ctx.method : 'OTHER';
      recorder.requestHandled(method, route, status, (performance.now() - started) / 1000);
      if (status === 429) {
        recorder.rateLimited(route.startsWith(authBasePath) ? 'better_auth' : 'per_user');
      }
    }
  };
}
