import type { Middleware } from 'koa';

const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60;

export interface StrictTransportSecurity {
  /** Cover every subdomain too (HSTS_INCLUDE_SUBDOMAINS, default true). */
  readonly includeSubDomains: boolean;
}

/**
 * Tells browsers to reach this origin over https only, for a year: set when BETTER_AUTH_URL is
 * https, so a user once on the real site can no longer be downgraded to http and have their
 * session cookie or token read on the way. With includeSubDomains the same holds for the host's
 * subdomains, so no plain-http x.<host> can be used to plant cookies for it. Browsers ignore
 * the header on answers that came over http.
 */
export function strictTransportSecurity({
  includeSubDomains,
}: StrictTransportSecurity): Middleware {
  const value = `max-age=${ONE_YEAR_SECONDS}${includeSubDomains ? '; includeSubDomains' : ''}`;
  return async (ctx, next) => {
    ctx.set('Strict-Transport-Security', value);
    await next();
  };
}
