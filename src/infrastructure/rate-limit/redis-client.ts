import { Redis } from 'ioredis';
import type { Logger } from 'pino';

/** A Redis that stops answering for this long counts as unreachable for that request. */
const COMMAND_TIMEOUT_MS = 1000;

/**
 * The client of the Redis at REDIS_URL. It connects in the background and reconnects by itself;
 * while it is not connected a command fails at once (no offline queue) instead of holding the
 * request, so the rate limiter's insurance answers.
 */
export function createRedisClient(url: string, logger: Logger): Redis {
  const client = new Redis(url, {
    enableOfflineQueue: false,
    commandTimeout: COMMAND_TIMEOUT_MS,
    maxRetriesPerRequest: 0,
    // How long closing waits for a socket to end cleanly (2 s by default, past the drain).
    disconnectTimeout: 200,
  });
  // Without a listener a failed connection would be an unhandled 'error' event. The outage
  // itself is logged once by the limiter; each reconnect's failure only at debug level.
  client.on('error', (error: Error) =>
    logger.debug({ component: 'redis', err: error.message }, 'Redis connection failed'),
  );
  return client;
}
