import type { IncomingMessage } from 'node:http';
import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import { HttpProblem, problem } from '../problem.js';
import { declaresBody } from '../request-body.js';

/** How often a request whose body is still arriving is looked at. */
const RECEIPT_CHECK_MS = 50;

/**
 * Answers every request within `timeoutMs` of its arrival in full: one whose work is not done by
 * then gets a 503 with Retry-After, whatever it waits for. The time a client takes to send its
 * body is its own (the server answers 408 to one that takes over 10 s). The work is not stopped
 * (the database's own timeouts end it soon after); what it does later is dropped, and a late
 * failure is only logged. An answer already on its way is left alone.
 *
 * It runs on every request, so it costs one timer (plain timers, no AbortController or promise
 * timers: the bench measured those at a tenth of a cheap request's CPU).
 */
export function requestDeadline(timeoutMs: number, logger: Logger): Middleware {
  const seconds = Math.round(timeoutMs / 100) / 10;
  return async (ctx, next) => {
    let deadline: NodeJS.Timeout | undefined;
    let stopWatching = (): void => undefined;
    const expired = new Promise<'expired'>((resolve) => {
      stopWatching = whenReceived(ctx.req, () => {
        deadline = setTimeout(resolve, timeoutMs, 'expired');
      });
    });
    const work = next().then(() => 'done' as const);
    try {
      if ((await Promise.race([work, expired])) === 'done') return;
    } finally {
      stopWatching();
      clearTimeout(deadline);
    }
    work.catch((error: unknown) =>
      logger.debug({ requestId: ctx.state.requestId, err: error }, 'failed after its deadline'),
    );
    if (ctx.res.headersSent) return;
    throw new HttpProblem(
      problem(
        'request-timeout',
        `The request was not done within ${seconds} s, usually because the database is slow or busy. Retry in a few seconds; a write may have been applied all the same, so repeat it with the same Idempotency-Key.`,
      ),
      { 'Retry-After': '5' },
    );
  };
}

/**
 * Calls `arrived` once the whole request has arrived (or the connection is gone): at once for a
 * request without a body; answers a function that stops watching.
 */
function whenReceived(req: IncomingMessage, arrived: () => void): () => void {
  if (!declaresBody(req)) {
    arrived();
    return () => undefined;
  }
  let poll: NodeJS.Timeout | undefined;
  const check = (): boolean => {
    if (!req.complete && !req.destroyed) return false;
    clearInterval(poll);
    arrived();
    return true;
  };
  // A body sent with its headers has been read by the time the parser's turn ends.
  const firstLook = setImmediate(() => {
    if (!check()) poll = setInterval(check, RECEIPT_CHECK_MS);
  });
  return () => {
    clearImmediate(firstLook);
    clearInterval(poll);
  };
}
