import type { Middleware } from 'koa';

/** API answers carry user data: never cache them, never sniff them, never frame them. */
export function securityHeaders(): Middleware {
  return async (ctx, next) => {
    ctx.set({
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'no-referrer',
    });
    await next();
  };
}
