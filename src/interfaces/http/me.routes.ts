import Router from '@koa/router';
import type { Middleware } from 'koa';
import { currentUser } from './middleware/authenticate.js';

/** GET /api/me: who the token says the caller is. Answered from the token alone. */
export function meRoutes(authenticated: Middleware): Router {
  const router = new Router();
  router.get('/api/me', authenticated, (ctx) => {
    const { id, email, name } = currentUser(ctx);
    ctx.body = { id, email, name };
  });
  return router;
}
