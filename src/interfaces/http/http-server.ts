import { createServer, type RequestListener, type Server } from 'node:http';
import type { Socket } from 'node:net';

/** A connection silent this long, or without complete headers or a complete request, is closed. */
export const IDLE_TIMEOUT_MS = 10_000;
/** How long a keep-alive connection waits for its next request (Node's default, said outright). */
export const KEEP_ALIVE_TIMEOUT_MS = 5_000;
/** The most bytes of request headers taken; more is 431 (Node's default, said outright). */
export const MAX_HEADER_BYTES = 16 * 1024;

export interface ConnectionLimits {
  /** Concurrent connections accepted; Node closes any over it as soon as it is accepted. */
  readonly maxConnections: number;
  /** How long a socket may stay silent (default IDLE_TIMEOUT_MS). */
  readonly idleTimeoutMs?: number;
}

/**
 * The HTTP server, bounded so that idle or slow connections cannot pile up: headers and the whole
 * request must arrive within 10 s of their first byte (checked every second, not Node's default
 * 30 s), and a socket silent for 10 s is closed, which also covers one that never sends a byte
 * (the request timeouts only start counting at the first byte). A socket whose request is still
 * being worked on is not idle: the app's request deadline answers it.
 */
export function createHttpServer(listener: RequestListener, limits: ConnectionLimits): Server {
  const idleTimeoutMs = limits.idleTimeoutMs ?? IDLE_TIMEOUT_MS;
  const server = createServer(
    {
      headersTimeout: IDLE_TIMEOUT_MS,
      requestTimeout: IDLE_TIMEOUT_MS,
      keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
      maxHeaderSize: MAX_HEADER_BYTES,
      connectionsCheckingInterval: 1_000,
    },
    (req, res) => {
      // Node closes a timed-out socket unless its answer listens for 'timeout'; an answer already
      // on its way to a client that stopped reading is cut as before.
      res.on('timeout', (socket: Socket) => {
        if (res.headersSent) socket.destroy();
      });
      listener(req, res);
    },
  );
  server.timeout = idleTimeoutMs;
  server.maxConnections = limits.maxConnections;
  return server;
}
