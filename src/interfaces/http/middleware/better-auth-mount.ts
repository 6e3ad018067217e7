import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import { unmapped, type ProxyTrust } from '../client-address.js';
import { problem } from '../problem.js';

export type NodeHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/**
 * Hands /api/auth/* to Better Auth's own Node handler. It must run before any body parser:
 * Better Auth reads the raw request stream itself.
 *
 * Better Auth rate-limits by the address in X-Forwarded-For. Unless the connection comes from a
 * trusted proxy, that header is replaced by the socket's address, so a client can neither dodge
 * the limit with a made-up address nor share one bucket with everybody else.
 */
export function mountBetterAuth(
  basePath: string,
  handler: NodeHandler,
  proxies: ProxyTrust,
  logger: Logger,
): Middleware {
  return async (ctx, next) => {
    if (ctx.path !== basePath && !ctx.path.startsWith(`${basePath}/`)) return next();
    const peer = ctx.req.socket.remoteAddress;
    if (!proxies.trusts(peer) && peer) ctx.req.headers['x-forwarded-for'] = unmapped(peer);
    ctx.respond = false;
    try {
      await handler(ctx.req, ctx.res);
    } catch (error) {
      // Better Auth answers its own errors; this is for a failure it did not catch.
      logger.error({ requestId: ctx.state.requestId, err: error }, 'auth handler failed');
      if (ctx.res.headersSent) return void ctx.res.destroy();
      const body = problem(
        500,
        'internal-error',
        'Internal server error',
        'Signing in failed on our side. Try again, and quote the requestId if it persists.',
        { requestId: ctx.state.requestId },
      );
      ctx.res.writeHead(500, { 'Content-Type': 'application/problem+json; charset=utf-8' });
      ctx.res.end(JSON.stringify(body));
    }
  };
}
