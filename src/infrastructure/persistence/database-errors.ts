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

/** PostgreSQL SQLSTATEs that mean "cannot serve you now" rather than "your query is wrong". */
const UNAVAILABLE_SQLSTATE = /^(08|53|57P0[1-3])/;

const UNAVAILABLE_MESSAGE =
  /Connection terminated|Client has encountered a connection error|Timeout acquiring a connection|connection is closed|database is locked|SQLITE_BUSY/i;

/** True when the error says the database could not be reached, not that the request was bad. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || UNAVAILABLE_SQLSTATE.test(code))) {
      return true;
    }
    if (UNAVAILABLE_MESSAGE.test(e.message)) return true;
    e = e.cause;
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
