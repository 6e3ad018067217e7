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
 * 08P01 (protocol violation) is a bad query, not a lost connection. 57014 is a statement cut off
 * by statement_timeout (the database stalls, or a lock held elsewhere), 55P03 a lock_timeout.
 */
const UNAVAILABLE_SQLSTATE = /^(08(?!P01)|53|57P0[1-3]|57014|55P03)/;

/**
 * Driver messages of a lost connection. knex says "Transaction query already complete" when the
 * connection under a transaction died (its BEGIN failed): the original error is gone by then.
 */
const UNAVAILABLE_MESSAGE =
  /Connection terminated|Client has encountered a connection error|Timeout acquiring a connection|connection is closed|Transaction query already complete|database is locked|SQLITE_BUSY/i;

/** Set on an error raised while obtaining a connection (see markConnectionFailures). */
const CONNECTION_FAILURE = 'connectionFailure';

/** Tags `error` as a failure to obtain a connection. */
export function markAsConnectionFailure(error: unknown): unknown {
  if (typeof error === 'object' && error !== null) {
    Object.defineProperty(error, CONNECTION_FAILURE, { value: true, enumerable: true });
    return error;
  }
  return Object.assign(new Error(String(error)), { [CONNECTION_FAILURE]: true });
}

/** True when the error says the database could not be reached, not that the request was bad. */
export function isDatabaseUnavailable(error: unknown): boolean {
  // Duck-typed: driver errors may come from another realm (e.g. a test VM), so no instanceof.
  for (let e = error, depth = 0; typeof e === 'object' && e !== null && depth < 5; depth++) {
    const { code, message, cause } = e as { code?: unknown; message?: unknown; cause?: unknown };
    if ((e as Record<string, unknown>)[CONNECTION_FAILURE] === true) return true;
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || UNAVAILABLE_SQLSTATE.test(code))) {
      return true;
    }
    if (typeof message === 'string' && UNAVAILABLE_MESSAGE.test(message)) return true;
    e = cause;
  }
  return false;
}

/** What may be said of a database error: its kind and where it happened, never its values. */
export interface DatabaseErrorSummary {
  readonly name?: string;
  readonly code?: string;
  readonly constraint?: string;
  readonly table?: string;
  readonly column?: string;
}

/**
 * A database error without the statement or the values drivers write into their messages (user
 * ids, titles, descriptions are personal data): its class, SQLSTATE, constraint, table, column.
 */
export function summarizeDatabaseError(error: unknown): DatabaseErrorSummary {
  if (typeof error !== 'object' || error === null) return {};
  const e = error as Record<string, unknown>;
  const text = (key: string) => (typeof e[key] === 'string' ? { [key]: e[key] as string } : {});
  return {
    ...(error instanceof Error ? { name: error.name } : {}),
    ...text('code'),
    ...text('constraint'),
    ...text('table'),
    ...text('column'),
  };
}

/** A statement failed on a working connection; says only what summarizeDatabaseError keeps. */
export class DatabaseStatementError extends Error implements DatabaseErrorSummary {
  readonly code?: string;
  readonly constraint?: string;
  readonly table?: string;
  readonly column?: string;

  constructor(summary: DatabaseErrorSummary) {
    const where = [
      summary.constraint && `constraint ${summary.constraint}`,
      summary.table && `table ${summary.table}`,
    ]
      .filter(Boolean)
      .join(', ');
    super(
      `A database statement failed (${summary.code ?? summary.name ?? 'unknown'}${where ? `; ${where}` : ''})`,
    );
    this.name = 'DatabaseStatementError';
    Object.assign(this, { ...summary, name: this.name });
  }
}

/**
 * Runs a database call, turning its failures into the port's terms: an unreachable database is
 * DependencyUnavailableError; anything else a DatabaseStatementError. Neither carries the
 * statement or its values on to the logs.
 */
export async function guardDatabase<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const summary = summarizeDatabaseError(error);
    if (isDatabaseUnavailable(error)) {
      throw new DependencyUnavailableError('database', { cause: summary });
    }
    throw new DatabaseStatementError(summary);
  }
}
