import { healthResponse, readyResponse } from './openapi/response.schemas.js';
import { defineOperation, json } from './operation.js';
import { problem, sendProblem } from './problem.js';

/**
 * /health: the process is up. /ready: it can serve: the database answers, and it is not shutting
 * down (a load balancer takes a draining instance out before its listener closes).
 */
export const HEALTH_ROUTES = [
  defineOperation({
    method: 'get',
    path: '/health',
    operationId: 'health',
    summary: 'Liveness',
    description: 'The process runs.',
    tag: 'Health',
    access: 'public',
    answers: { 200: json('Alive.', healthResponse) },
    handle: ({ ctx }) => {
      ctx.body = { status: 'ok' };
    },
  }),
  defineOperation({
    method: 'get',
    path: '/ready',
    operationId: 'ready',
    summary: 'Readiness',
    description:
      'The database answers and this instance is not shutting down: it can serve. Point load balancers here.',
    tag: 'Health',
    access: 'public',
    answers: { 200: json('Ready.', readyResponse) },
    problems: ['not-ready'],
    handle: async ({ ctx, useCases, shutdown }) => {
      if (shutdown.isDraining) {
        sendProblem(
          ctx,
          problem('not-ready', 'This instance is shutting down; send requests to another one.'),
          { 'Retry-After': '5' },
        );
        return;
      }
      const { ready } = await useCases.checkReadiness.execute();
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
    },
  }),
];
