/** What one benchmark run uses: where PostgreSQL is, how long each row lasts, the fixed identities. */
export interface BenchSettings {
  readonly quick: boolean;
  /** Save a CPU profile of every service process (node --cpu-prof) into bench/profiles/. */
  readonly profile: boolean;
  /** The server on which a fresh database is created for the run, and dropped at its end. */
  readonly adminDatabaseUrl: string;
  /** Seconds of measured load per row. */
  readonly durationSeconds: number;
  /** Rows compared with each other take turns in this many slices of durationSeconds / rounds. */
  readonly rounds: number;
  /** Seconds of unmeasured load before each row. */
  readonly warmupSeconds: number;
  /** Seconds each verifier is timed for in the microbenchmark, per phase. */
  readonly microSeconds: number;
  /** Distinct tokens minted per algorithm for row 6's "new token each call" lines. */
  readonly freshTokens: number;
  readonly connections: number;
  /** LOG_LEVEL of the service: `info` (the production default) logs one line per request. */
  readonly serviceLogLevel: string;
}

/**
 * BETTER_AUTH_URL of every bench service: the tokens' issuer and audience, never contacted. A
 * loopback host, the only http: URL production accepts (the services run with NODE_ENV=production).
 */
export const BENCH_AUTH_URL = 'http://localhost';
/** A fixed secret: the services and the driver's own Better Auth must share it. */
export const BENCH_SECRET = 'bench-secret-that-is-at-least-32-characters-long';
/** Table sizes of the scale row, spread over this many users; the caller always owns 200. */
export const SCALE_SIZES = [1_000, 100_000, 1_000_000] as const;
export const USERS = 1_000;
export const CALLER_TASKS = 200;
/** Final RSS at most this multiple of the RSS after warm-up counts as "memory flat". */
export const MEMORY_FLAT_FACTOR = 1.5;

export function benchSettings(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): BenchSettings {
  const quick = argv.includes('--quick');
  return {
    quick,
    profile: argv.includes('--profile'),
    adminDatabaseUrl: env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    durationSeconds: quick ? 3 : 10,
    rounds: quick ? 3 : 5,
    warmupSeconds: quick ? 1 : 3,
    microSeconds: quick ? 1 : 3,
    freshTokens: quick ? 1_500 : 3_000,
    connections: 20,
    serviceLogLevel: env.BENCH_LOG_LEVEL ?? 'info',
  };
}
