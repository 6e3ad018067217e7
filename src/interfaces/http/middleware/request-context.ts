import { randomUUID } from 'node:crypto';
import type { Context, Middleware } from 'koa';
import type { Logger } from 'pino';

const SAFE_REQUEST_ID = /^[\w.-]{1,64}$/;

/**
 * The path as a log may keep it: a route's template where one matched (no user ids, task ids or
 * tokens: /api/:userId/tasks/:taskId), a Better Auth endpoint by its name only (a reset link
 * carries a credential), anything else cut to 100 characters.
 */
function loggedPath(ctx: Context): string {
  const route = (ctx as { _matchedRoute?: unknown })._matchedRoute;
  if (typeof route === 'string') return route;
  const auth = /^\/api\/auth\/[^/]*/.exec(ctx.path);
  if (auth) return auth[0];
  return ctx.path.slice(0, 100);
}

/**
 * Gives every request an id (the caller's X-Request-Id when it is safe to echo) and logs one line
 * when it ends. Only the path is logged (a query string may carry a token), as loggedPath keeps it.
 */
export function requestContext(logger: Logger): Middleware {
  return async (ctx, next) => {
    const incoming = ctx.get('X-Request-Id');
    const requestId = SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    ctx.state.requestId = requestId;
    ctx.set('X-Request-Id', requestId);
    const started = performance.now();
    try {
      await next();
    } finally {
      const status = ctx.respond === false ? ctx.res.statusCode : ctx.status;
      logger.info(
        {
          requestId,
          method: ctx.method,
          path: loggedPath(ctx),
          status,
          ms: Math.round((performance.now() - started) * 10) / 10,
        },
        'request',
      );
    }
  };
}
