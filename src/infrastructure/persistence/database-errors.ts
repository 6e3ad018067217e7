import { DependencyUnavailableError } from '../../application/shared/dependency-unavailable.error.js';

/** Socket-level failures: the server is down, restarting, or unreachable. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/**
 * PostgreSQL SQLSTATEs that mean "cannot serve you now" rather than "your query is wrong";
 * 08P01 (protocol violation) is a bad query, not a lost connection.
 */
const UNAVAILABLE_SQLSTATE = /^(08(?!P01)|53|57P0[1-3])/;

const UNAVAILABLE_MESSAGE =
  /Connection terminated|Client has encountered a connection error|Timeout acquiring a connection|connection is closed|database is locked|SQLITE_BUSY/i;

/** True when the error says the database could not be reached, not that the request was bad. */
export function isDatabaseUnavailable(error: unknown): boolean {
  // Duck-typed: driver errors may come from another realm (e.g. a test VM), so no instanceof.
  for (let e = error, depth = 0; typeof e === 'object' && e !== null && depth < 5; depth++) {
    const { code, message, cause } = e as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || UNAVAILABLE_SQLSTATE.test(code))) {
      return true;
    }
    if (typeof message === 'string' && UNAVAILABLE_MESSAGE.test(message)) return true;
    e = cause;
  }
  return false;
}

/** Runs a database call, turning "unreachable" failures into the port-level error. */
export async function guardDatabase<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isDatabaseUnavailable(error))
      throw new DependencyUnavailableError('database', { cause: error });
    throw error;
  }
}
