import type { Middleware } from 'koa';
import { markRoute } from '../route-template.js';

/** One endpoint of the embedded Better Auth that clients may reach. */
export interface AuthRoute {
  readonly method: string;
  /** Below the base path, e.g. `/sign-in/email`; a `:name` segment matches one token segment. */
  readonly path: string;
}

/** What a `:name` segment may hold (Better Auth's tokens are URL-safe); anything else is 404. */
const PARAMETER = /^[\w-]{1,256}$/;

/**
 * Lets through to Better Auth only the endpoints in `routes`. Any other path under `basePath` is
 * 404, and a method the path does not have is 405 with Allow, before Better Auth, its rate limiter
 * or the database see the request. Both are left without a body, like any unrouted request, for
 * the problem handler to answer.
 */
export function authRouteTable(basePath: string, routes: readonly AuthRoute[]): Middleware {
  return async (ctx, next) => {
    if (ctx.path !== basePath && !ctx.path.startsWith(`${basePath}/`)) return next();
    const path = ctx.path.slice(basePath.length);
    const matching = routes.filter((route) => matches(route.path, path));
    const methods = matching.map((route) => route.method);
    if (matching[0] === undefined) {
      ctx.status = 404;
      return;
    }
    markRoute(ctx, `${basePath}${matching[0].path}`);
    if (!methods.includes(ctx.method)) {
      ctx.status = 405;
      ctx.set('Allow', methods.join(', '));
      return;
    }
    return next();
  };
}

function matches(pattern: string, path: string): boolean {
  const expected = pattern.split('/');
  const actual = path.split('/');
  return (
    expected.length === actual.length &&
    expected.every((segment, i) => {
      const given = actual[i] ?? '';
      return segment.startsWith(':') ? PARAMETER.test(given) : segment === given;
    })
  );
}
