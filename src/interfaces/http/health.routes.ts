import Router from '@koa/router';
import type { CheckReadinessUseCase } from '../../application/shared/check-readiness.use-case.js';
import { problem, sendProblem } from './problem.js';

/** Whether the instance is shutting down. */
export interface DrainingState {
  readonly isDraining: boolean;
}

/**
 * /health: the process is up. /ready: it can serve (the database answers, and it is not shutting
 * down: a load balancer takes a draining instance out before its listener closes).
 */
export function healthRoutes(readiness: CheckReadinessUseCase, shutdown: DrainingState): Router {
  const router = new Router();
  router.get('/health', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/ready', async (ctx) => {
    if (shutdown.isDraining) {
      sendProblem(
        ctx,
        problem(
          503,
          'not-ready',
          'Not ready',
          'This instance is shutting down; send requests to another one.',
        ),
        { 'Retry-After': '5' },
      );
      return;
    }
    const { ready } = await readiness.execute();
    if (ready) {
      ctx.body = { status: 'ready' };
      return;
    }
    sendProblem(
      ctx,
      problem(
        503,
        'not-ready',
        'Not ready',
        'The database does not answer; this instance cannot serve requests yet.',
      ),
      { 'Retry-After': '5' },
    );
  });
  return router;
}
