import type { Middleware } from 'koa';

const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60;

/**
 * Tells browsers to reach this origin over https only, for a year: set when BETTER_AUTH_URL is
 * https, so a user once on the real site can no longer be downgraded to http and have their
 * session cookie or token read on the way. Browsers ignore it on answers that came over http.
 */
export function strictTransportSecurity(): Middleware {
  return async (ctx, next) => {
    ctx.set('Strict-Transport-Security', `max-age=${ONE_YEAR_SECONDS}`);
    await next();
  };
}
