import Database from 'better-sqlite3';
import { betterAuth, type BetterAuthOptions } from 'better-auth';
import { getMigrations } from 'better-auth/db/migration';
import { jwt } from 'better-auth/plugins';
import pg from 'pg';
import type { Logger } from 'pino';
import type { DatabaseConfig } from '../config/database-config.js';

export interface BetterAuthSettings {
  readonly secret: string;
  /** BETTER_AUTH_URL: where this service is reached; also the tokens' issuer and audience. */
  readonly baseUrl: string;
  readonly trustedOrigins: readonly string[];
  readonly production: boolean;
  readonly database: DatabaseConfig;
  readonly jwtLifetimeSeconds?: number;
}

export const AUTH_BASE_PATH = '/api/auth';
export const JWT_ALGORITHM = 'EdDSA';
const DAY_SECONDS = 24 * 60 * 60;

/** Better Auth with email + password and the JWT plugin; its connection closes with `close()`. */
export function createBetterAuth(settings: BetterAuthSettings, logger: Logger) {
  const connection = openConnection(settings.database, logger);
  const options = {
    appName: 'Task API',
    baseURL: settings.baseUrl,
    basePath: AUTH_BASE_PATH,
    secret: settings.secret,
    database: connection.database,
    trustedOrigins: [...settings.trustedOrigins],
    emailAndPassword: { enabled: true, minPasswordLength: 8, maxPasswordLength: 128 },
    session: { expiresIn: 7 * DAY_SECONDS, updateAge: DAY_SECONDS },
    telemetry: { enabled: false },
    logger: {
      log: (level, message) => logger[level]({ component: 'better-auth' }, message),
    },
    plugins: [
      jwt({
        jwks: { keyPairConfig: { alg: JWT_ALGORITHM, crv: 'Ed25519' } },
        jwt: {
          issuer: settings.baseUrl,
          audience: settings.baseUrl,
          expirationTime: settings.jwtLifetimeSeconds ? `${settings.jwtLifetimeSeconds}s` : '24h',
          definePayload: ({ user }) => ({ user_id: user.id, email: user.email, name: user.name }),
        },
      }),
    ],
  } satisfies BetterAuthOptions;
  const auth = betterAuth(options);
  return {
    auth,
    /** Creates or updates Better Auth's own tables (user, session, account, verification, jwks). */
    migrate: async () => (await getMigrations(options)).runMigrations(),
    close: connection.close,
  };
}

export type BetterAuthInstance = ReturnType<typeof createBetterAuth>['auth'];

function openConnection(database: DatabaseConfig, logger: Logger) {
  if (database.kind === 'sqlite') {
    const db = new Database(database.path);
    db.pragma('journal_mode = WAL');
    return { database: db, close: async () => void db.close() };
  }
  const pool = new pg.Pool({
    connectionString: database.url,
    max: 10,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client losing its server emits 'error'; unhandled, it would crash the process.
  pool.on('error', (error) => logger.warn({ err: error.message }, 'auth database connection lost'));
  return { database: pool, close: () => pool.end() };
}
