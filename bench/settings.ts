/** What one benchmark run uses: where PostgreSQL is, how long each row lasts. */
export interface BenchSettings {
  readonly quick: boolean;
  /** The server on which a fresh database is created for the run, and dropped at its end. */
  readonly adminDatabaseUrl: string;
  /** Keep-alive connections of the load generator, one request in flight on each. */
  readonly connections: number;
  /** Seconds of unmeasured load before each HTTP row: JIT, pools and caches settle first. */
  readonly warmupSeconds: number;
  /**
   * The same before the first HTTP row, longer: it would otherwise also pay for compiling the
   * HTTP path (Koa, the routes, MikroORM, pg), which every later row finds compiled.
   */
  readonly firstWarmupSeconds: number;
  /** Seconds of measured load per HTTP row. */
  readonly durationSeconds: number;
  /** Seconds a verifier row times calls for (it also ends when its new tokens run out). */
  readonly verifierSeconds: number;
  /** Distinct tokens minted for a verifier row that checks a new token on each call. */
  readonly newTokens: number;
  /** LOG_LEVEL of the services: `info`, the production default, logs one line per request. */
  readonly serviceLogLevel: string;
  /** BENCH_ROWS: the ids of the rows to run (comma-separated), in table order; null: every row. */
  readonly rows: readonly string[] | null;
  /** BENCH_METRICS=true: metrics on in every service, and a table of what they said per row. */
  readonly metrics: boolean;
}

/**
 * BETTER_AUTH_URL of every bench service: the tokens' issuer and audience, never contacted. A
 * loopback host, the only http: URL production accepts (the services run with NODE_ENV=production).
 */
export const BENCH_AUTH_URL = 'http://localhost';
/** One secret for every service, so a session made on one is valid on all of them. */
export const BENCH_SECRET = 'bench-secret-that-is-at-least-32-characters-long';
/** Users owning tasks (the caller and 999 others, straight into Better Auth's user table). */
export const USERS = 1_000;
/** Tasks the caller owns, whatever the size of the table. */
export const CALLER_TASKS = 200;
/** Tasks in the table for a row that does not say. */
export const DEFAULT_TASKS = 1_000;

export function benchSettings(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): BenchSettings {
  const quick = argv.includes('--quick');
  return {
    quick,
    adminDatabaseUrl: env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    connections: 20,
    warmupSeconds: quick ? 2 : 3,
    firstWarmupSeconds: quick ? 6 : 8,
    durationSeconds: quick ? 3 : 10,
    verifierSeconds: quick ? 1 : 3,
    newTokens: quick ? 1_500 : 3_000,
    serviceLogLevel: env.BENCH_LOG_LEVEL ?? 'info',
    metrics: env.BENCH_METRICS === 'true',
    rows: env.BENCH_ROWS
      ? env.BENCH_ROWS.split(',')
          .map((id) => id.trim())
          .filter(Boolean)
      : null,
  };
}
