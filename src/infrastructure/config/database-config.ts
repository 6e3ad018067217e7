/** Where data lives: a PostgreSQL server (Neon included) or an embedded SQLite file. */
export type DatabaseConfig =
  | {
      readonly kind: 'postgres';
      readonly url: string;
      /** Most connections one instance opens for its requests (Better Auth's included). */
      readonly poolSize?: number;
      /** The direct connection that LISTENs for revocations (default: url). */
      readonly listenUrl?: string;
    }
  | { readonly kind: 'sqlite'; readonly path: string };

/** DATABASE_POOL_SIZE when unset. */
export const DEFAULT_POOL_SIZE = 10;

/** How long database work of one request may take. */
export interface DatabaseTimeouts {
  /** Longest wait for a pooled connection; then the request gets a 503. */
  readonly acquireMs: number;
  /** PostgreSQL's statement_timeout on every pooled connection; null: none. */
  readonly statementMs: number | null;
}

/** Outside a request's deadline (migrations, tools): a stalled database still fails in 5 s. */
export const UNBOUNDED_STATEMENTS: DatabaseTimeouts = { acquireMs: 5_000, statementMs: null };

/**
 * The database's share of a request's deadline: half of it waiting for a connection, and a
 * statement cut off after half of it. A stalled statement thus frees its connection for other
 * requests, and the request gets its 503 (Retry-After) before the deadline.
 */
export function databaseTimeoutsWithin(requestTimeoutSeconds: number): DatabaseTimeouts {
  const half = requestTimeoutSeconds * 500;
  return { acquireMs: half, statementMs: half };
}

/** Tables owned by Better Auth; MikroORM's schema tools must never touch them. */
export const BETTER_AUTH_TABLES = [
  'user',
  'session',
  'account',
  'verification',
  'jwks',
  'rateLimit',
];
