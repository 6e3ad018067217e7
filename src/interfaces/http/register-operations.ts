import type Router from '@koa/router';
import type { Middleware } from 'koa';
import type { Operation, RouteDependencies } from './operation.js';
import { validate } from './validation.js';

/**
 * Registers each operation as a Koa route: `{name}` segments become `:name`, and the route runs
 * the token check (`access: 'token'`), the operation's steps, the validation of its query and
 * body, then its handler. A method a path does not have is left to the router (405 with Allow),
 * before any of them run.
 */
export function registerOperations(
  router: Router,
  operations: readonly Operation[],
  dependencies: RouteDependencies,
  { authenticated }: { readonly authenticated: Middleware },
): void {
  for (const operation of operations) {
    router.register(
      operation.path.replace(/\{(\w+)\}/g, ':$1'),
      [operation.method.toUpperCase()],
      [
        ...(operation.access === 'token' ? [authenticated] : []),
        ...(operation.before ?? []).map((step) => step.run),
        handlerOf(operation, dependencies),
      ],
    );
  }
}

function handlerOf(operation: Operation, dependencies: RouteDependencies): Middleware {
  const { query, body, handle } = operation;
  return async (ctx) => {
    await handle({
      ...dependencies,
      ctx,
      query: query && validate(query, ctx.query, 'query.'),
      body: body && validate(body, ctx.request.body),
    });
  };
}
