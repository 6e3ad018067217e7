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

/** A layer of @koa/router's that matched the path: a route (with methods) or a `use`. */
interface MatchedLayer {
  readonly path: string;
  readonly methods: readonly string[];
}

/**
 * The route that answered, as its template (`/api/:userId/tasks/:taskId`): never the raw path,
 * so it never carries a user id, a task id or a token, and the set of values is bounded by the
 * code. It is the route the router chose even when a middleware before it answered (a 401 from
 * the token check), not the `use` layer's own pattern. Anything else (a 404, a 405, a CORS
 * preflight) is `unmatched`.
 */
export function routeTemplate(ctx: Context): string {
  const layers = (ctx as { matched?: readonly MatchedLayer[] }).matched;
  if (layers) {
    for (let i = layers.length - 1; i >= 0; i--) {
      const layer = layers[i];
      if (layer && layer.methods.includes(ctx.method)) return layer.path;
    }
  }
  return (ctx.state as Record<symbol, string | undefined>)[MARKED] ?? UNMATCHED_ROUTE;
}
