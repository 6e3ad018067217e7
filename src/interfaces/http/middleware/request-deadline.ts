import type { IncomingMessage } from 'node:http';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
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
 */
export function requestDeadline(timeoutMs: number, logger: Logger): Middleware {
  const seconds = Math.round(timeoutMs / 100) / 10;
  return async (ctx, next) => {
    const cancel = new AbortController();
    const expired = received(ctx.req, cancel.signal)
      .then(() => sleep(timeoutMs, 'expired' as const, { signal: cancel.signal }))
      .catch(() => 'cancelled' as const);
    const work = next().then(() => 'done' as const);
    try {
      if ((await Promise.race([work, expired])) === 'done') return;
    } finally {
      cancel.abort();
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

/** Resolves once the whole request has arrived, or the connection is gone. */
async function received(req: IncomingMessage, signal: AbortSignal): Promise<void> {
  if (!declaresBody(req)) return;
  // A body sent with its headers has been read by the time the parser's turn ends.
  await nextTurn(undefined, { signal });
  while (!req.complete && !req.destroyed) await sleep(RECEIPT_CHECK_MS, undefined, { signal });
}
