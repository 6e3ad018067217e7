import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import { HttpProblem, problem } from '../problem.js';

/**
 * Answers every request within `timeoutMs`: one whose work is not done by then gets a 503 with
 * Retry-After, whatever it waits for. The work is not stopped (the database's own timeouts end it
 * soon after); what it does later is dropped, and a late failure is only logged. An answer already
 * on its way is left alone.
 */
export function requestDeadline(timeoutMs: number, logger: Logger): Middleware {
  const seconds = Math.round(timeoutMs / 100) / 10;
  return async (ctx, next) => {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<'expired'>((resolve) => {
      timer = setTimeout(() => resolve('expired'), timeoutMs);
    });
    const work = next().then(() => 'done' as const);
    try {
      if ((await Promise.race([work, expired])) === 'done') return;
    } finally {
      clearTimeout(timer);
    }
    work.catch((error: unknown) =>
      logger.debug({ requestId: ctx.state.requestId, err: error }, 'failed after its deadline'),
    );
    if (ctx.res.headersSent) return;
    throw new HttpProblem(
      problem(
        503,
        'request-timeout',
        'The request took too long',
        `The request was not done within ${seconds} s, usually because the database is slow or busy. Retry in a few seconds; a write may have been applied all the same, so repeat it with the same Idempotency-Key.`,
      ),
      { 'Retry-After': '5' },
    );
  };
}
