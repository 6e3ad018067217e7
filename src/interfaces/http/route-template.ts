import type { Context } from 'koa';

/** What a request that no route, Better Auth endpoint or page asset answered is counted as. */
export const UNMATCHED_ROUTE = 'unmatched';

const MARKED = Symbol('route template');

/**
 * Says which route answered, for the answers the router does not route (a Better Auth endpoint,
 * a page asset, /metrics). `template` must come from the code, never from the request.
 */
export function markRoute(ctx: Context, template: string): void {
  (ctx.state as Record<symbol, string>)[MARKED] = template;
}

/**
 * The route that answered, as its template (`/api/:userId/tasks/:taskId`): never the raw path,
 * so it never carries a user id, a task id or a token, and the set of values is bounded by the
 * code. Anything else (a 404, a CORS preflight) is `unmatched`.
 */
export function routeTemplate(ctx: Context): string {
  const matched = (ctx as { _matchedRoute?: unknown })._matchedRoute;
  if (typeof matched === 'string') return matched;
  return (ctx.state as Record<symbol, string | undefined>)[MARKED] ?? UNMATCHED_ROUTE;
}
