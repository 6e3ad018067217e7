import type { RequestListener, Server, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';

/** How long a client of an event stream should wait before it reconnects (to another instance). */
export const RECONNECT_AFTER_MS = 1_000;

export interface ShutdownTimings {
  /** How long new requests are still served once draining has begun. */
  readonly delayMs: number;
  /** How long requests in flight may take once the listener has closed. */
  readonly graceMs: number;
}

/** What routes see of the instance's shutdown. */
export interface ShutdownSignal {
  /** True once draining has begun: /ready answers 503. */
  readonly isDraining: boolean;
  onListenerClosed(end: () => void): () => void;
}

/** The shutdown of an app that is never drained (one built without a server, in a test). */
export const NEVER_SHUTTING_DOWN: ShutdownSignal = {
  isDraining: false,
  onListenerClosed: () => () => undefined,
};

/**
 * How an instance leaves a fleet without dropping a request. Draining begins: `/ready` answers
 * 503 at once, so the load balancer takes the instance out, while new requests are still served
 * for `delayMs`; every answer from then on closes its connection (`Connection: close`), so no
 * client sends another request on a connection that is about to go. Then the listener closes,
 * long-lived answers end through their `onListenerClosed` hooks, and the requests in flight have
 * `graceMs` to finish before the connections left are cut.
 */
export class Shutdown implements ShutdownSignal {
  private draining = false;
  private readonly answering = new Set<ServerResponse>();
  private readonly listenerClosedHooks = new Set<() => void>();

  get isDraining(): boolean {
    return this.draining;
  }

  /** The server's request listener, wrapped so that answers close their connection once draining. */
  track(listener: RequestListener): RequestListener {
    return (req, res) => {
      this.answering.add(res);
      res.once('close', () => this.answering.delete(res));
      if (this.draining) closeAfterAnswer(res);
      listener(req, res);
    };
  }

  onListenerClosed(end: () => void): () => void {
    this.listenerClosedHooks.add(end);
    return () => this.listenerClosedHooks.delete(end);
  }

  /** Drains `server` as described above; resolves once its last connection has closed. */
  async drain(server: Server, timings: ShutdownTimings, logger: Logger): Promise<void> {
    this.draining = true;
    for (const res of this.answering) closeAfterAnswer(res);
    if (timings.delayMs > 0) {
      logger.info(
        { delayMs: timings.delayMs },
        'draining: /ready answers 503; new requests are still served until the listener closes',
      );
      await sleep(timings.delayMs);
    }
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    logger.info(
      { inFlight: this.answering.size, graceMs: timings.graceMs },
      'listener closed: finishing the requests in flight',
    );
    for (const end of this.listenerClosedHooks) end();
    server.closeIdleConnections();
    const cut = setTimeout(() => {
      logger.warn(
        { inFlight: this.answering.size },
        'requests still in flight after the grace period: closing their connections',
      );
      server.closeAllConnections();
    }, timings.graceMs);
    try {
      await closed;
    } finally {
      clearTimeout(cut);
    }
  }
}

/** Node closes the connection once an answer that says `Connection: close` is out. */
function closeAfterAnswer(res: ServerResponse): void {
  if (!res.headersSent) res.setHeader('Connection', 'close');
}
