import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Middleware } from 'koa';
import { unmapped, type ProxyTrust } from '../client-address.js';

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
): Middleware {
  return async (ctx, next) => {
    if (ctx.path !== basePath && !ctx.path.startsWith(`${basePath}/`)) return next();
    const peer = ctx.req.socket.remoteAddress;
    if (!proxies.trusts(peer) && peer) ctx.req.headers['x-forwarded-for'] = unmapped(peer);
    ctx.respond = false;
    await handler(ctx.req, ctx.res);
  };
}
