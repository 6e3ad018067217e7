import type { Context, Middleware } from 'koa';
import type { Logger } from 'pino';
import { mapAppError } from '../error-map.js';
import { HttpProblem, internalErrorProblem, problem, sendProblem } from '../problem.js';

/**
 * Turns every failure into an RFC 9457 body. Unexpected errors are logged with the request id and
 * answered with a generic 500: no stack, SQL or library message ever reaches the client.
 */
export function problemHandler(logger: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      // respond === false: the answer went out already (Better Auth writes its own).
      if (ctx.body === undefined && ctx.respond !== false) answerUnrouted(ctx);
    } catch (error) {
      handle(ctx, error, logger);
    }
  };
}

function handle(ctx: Context, error: unknown, logger: Logger): void {
  if (error instanceof HttpProblem) return sendProblem(ctx, error.problem, error.headers);
  const mapped = mapAppError(error);
  if (mapped) {
    if (mapped.problem.status >= 500) {
      logger.warn({ requestId: ctx.state.requestId, err: error }, 'dependency unavailable');
    }
    return sendProblem(ctx, mapped.problem, mapped.headers);
  }
  logger.error({ requestId: ctx.state.requestId, err: error }, 'unexpected error');
  sendProblem(ctx, internalErrorProblem(ctx.state.requestId));
}

/** The router leaves 404 (no route) and 405/501 (no such method here) without a body. */
function answerUnrouted(ctx: Context): void {
  if (ctx.status === 404) {
    const detail = `There is no route for ${ctx.method} ${ctx.path}.`;
    sendProblem(ctx, problem('not-found', detail));
  } else if (ctx.status === 405 || ctx.status === 501) {
    const detail = `${ctx.path} accepts ${ctx.response.get('Allow') || 'other methods'}, not ${ctx.method}.`;
    sendProblem(ctx, problem('method-not-allowed', detail));
  }
}
