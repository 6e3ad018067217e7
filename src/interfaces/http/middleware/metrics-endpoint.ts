import { createHash, timingSafeEqual } from 'node:crypto';
import type { Middleware } from 'koa';
import { METRICS_PATH, type MetricsExposition } from '../metrics-exposition.js';
import { HttpProblem, problem } from '../problem.js';
import { markRoute } from '../route-template.js';

const BEARER = /^bearer[ \t]+(\S+)[ \t]*$/i;
const CHALLENGE = { 'WWW-Authenticate': 'Bearer realm="metrics"' };

/**
 * GET /metrics on the API's own port, for a scraper that sends `Authorization: Bearer <token>`.
 * A missing or wrong token is a 401 problem, not a 404: a scraper with a stale token then says
 * what is wrong, and the endpoint's existence tells nothing a guess of the standard path would
 * not. The token is compared in constant time (as digests, so its length does not leak either).
 */
export function metricsEndpoint(exposition: MetricsExposition, token: string): Middleware {
  const expected = digest(token);
  return async (ctx, next) => {
    if (ctx.path !== METRICS_PATH) return next();
    markRoute(ctx, METRICS_PATH);
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') {
      ctx.status = 405; // answered by the problem handler
      ctx.set('Allow', 'GET, HEAD');
      return;
    }
    const given = BEARER.exec(ctx.get('Authorization'))?.[1];
    if (given === undefined || !timingSafeEqual(digest(given), expected)) {
      throw new HttpProblem(
        problem(
          'unauthorized',
          'Send the metrics token (METRICS_TOKEN) as "Authorization: Bearer <token>".',
        ),
        CHALLENGE,
      );
    }
    ctx.set('Cache-Control', 'no-store');
    ctx.type = exposition.contentType;
    ctx.body = await exposition.metrics();
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
