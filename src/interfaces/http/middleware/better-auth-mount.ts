import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Middleware } from 'koa';

export type NodeHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/**
 * Hands /api/auth/* to Better Auth's own Node handler. It must run before any body parser:
 * Better Auth reads the raw request stream itself.
 */
export function mountBetterAuth(basePath: string, handler: NodeHandler): Middleware {
  return async (ctx, next) => {
    if (ctx.path !== basePath && !ctx.path.startsWith(`${basePath}/`)) return next();
    ctx.respond = false;
    await handler(ctx.req, ctx.res);
  };
}
