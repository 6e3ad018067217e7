import Router from '@koa/router';
import type { CheckReadinessUseCase } from '../../application/shared/check-readiness.use-case.js';
import { problem, sendProblem } from './problem.js';

/** /health: the process is up. /ready: it can serve (the database answers). */
export function healthRoutes(readiness: CheckReadinessUseCase): Router {
  const router = new Router();
  router.get('/health', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/ready', async (ctx) => {
    const { ready } = await readiness.execute();
    if (ready) {
      ctx.body = { status: 'ready' };
      return;
    }
    sendProblem(
      ctx,
      problem(
        'not-ready',
        'The database does not answer; this instance cannot serve requests yet.',
      ),
      { 'Retry-After': '5' },
    );
  });
  return router;
}
