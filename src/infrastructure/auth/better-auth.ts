import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { betterAuth, type BetterAuthOptions } from 'better-auth';
import { getMigrations } from 'better-auth/db/migration';
import { jwt, type JWKOptions, type JwtOptions } from 'better-auth/plugins';
import { decodeProtectedHeader, SignJWT } from 'jose';
import pg from 'pg';
import type { Logger } from 'pino';
import { ConfigError } from '../config/config-error.js';
import type { DatabaseConfig } from '../config/database-config.js';
import type { JwtAlgorithm } from '../config/env.js';
import { identityHooks } from './identity-rules.js';
import { RateLimitSweeper } from './rate-limit-sweeper.js';

export interface BetterAuthSettings {
  readonly secret: string;
  /** BETTER_AUTH_URL: where this service is reached; also the tokens' issuer and audience. */
  readonly baseUrl: string;
  readonly trustedOrigins: readonly string[];
  readonly trustedProxies: readonly string[];
  readonly production: boolean;
  readonly database: DatabaseConfig;
  readonly algorithm: JwtAlgorithm;
  readonly jwtLifetimeSeconds: number;
}

export const AUTH_BASE_PATH = '/api/auth';
const DAY_SECONDS = 24 * 60 * 60;
const RATE_LIMIT_SWEEP_INTERVAL_MS = 60_000;

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
    // Sign-in and sign-up are throttled per client address (3 per 10 s on sign-in) in production.
    // The counters live in the database, so every instance behind a load balancer shares them.
    rateLimit: { enabled: settings.production, storage: 'database' },
    // Names, emails and images are bounded and checked on every write of a user.
    databaseHooks: identityHooks,
    advanced: {
      // Said outright rather than left to Better Auth's guess: an https URL means Secure cookies.
      useSecureCookies: settings.baseUrl.startsWith('https:'),
      ipAddress: {
        ipAddressHeaders: ['x-forwarded-for'],
        trustedProxies: [...settings.trustedProxies],
      },
    },
    telemetry: { enabled: false },
    logger: {
      level: betterAuthLevel(logger.level),
      disabled: logger.level === 'silent',
      // Only errors are passed on from the extra arguments: the rest may hold user data.
      log: (level, message, ...args) => {
        const err = args.find((arg) => arg instanceof Error);
        logger[level]({ component: 'better-auth', ...(err ? { err } : {}) }, message);
      },
    },
    plugins: [jwt(jwtPluginOptions(settings))],
  } satisfies BetterAuthOptions;
  const auth = betterAuth(options);
  const rateLimitSweeper = options.rateLimit.enabled
    ? new RateLimitSweeper(async () => (await auth.$context).adapter, logger)
    : null;
  rateLimitSweeper?.start(RATE_LIMIT_SWEEP_INTERVAL_MS);
  return {
    auth,
    /** Deletes expired rateLimit rows every minute while rate limits are on (production). */
    rateLimitSweeper,
    /**
     * Creates or updates Better Auth's own tables (user, session, account, verification, jwks,
     * rateLimit), then makes sure a usable signing key exists, so instances started together
     * share one.
     */
    migrate: async () => {
      await (await getMigrations(options)).runMigrations();
      if (settings.algorithm !== 'HS256') await assertSigningKeyUsable(auth, settings.algorithm);
    },
    close: async () => {
      rateLimitSweeper?.stop();
      await connection.close();
    },
  };
}

export type BetterAuthInstance = ReturnType<typeof createBetterAuth>['auth'];

/** LOG_LEVEL in Better Auth's terms (it has no trace or fatal). */
function betterAuthLevel(level: string): 'debug' | 'info' | 'warn' | 'error' {
  if (level === 'trace' || level === 'debug') return 'debug';
  if (level === 'info' || level === 'warn') return level;
  return 'error';
}

/**
 * Signs one throwaway token, creating the signing key on a new database. A key stored under
 * another BETTER_AUTH_SECRET, or of another type than AUTH_JWT_ALG, would otherwise let the
 * service start and then fail every sign-in or every token: refuse to start instead.
 */
async function assertSigningKeyUsable(auth: BetterAuthInstance, algorithm: JwtAlgorithm) {
  let token: string;
  try {
    ({ token } = await auth.api.signJWT({ body: { payload: { sub: 'start-up check' } } }));
  } catch (error) {
    if (!/decrypt/i.test(String((error as Error).message))) throw error;
    throw new ConfigError([
      'BETTER_AUTH_SECRET: cannot unlock the signing key stored in the database (the jwks table); it was made with another secret. Use that secret, or delete the rows of the jwks table to make a new key (tokens signed with the old one then stop working)',
    ]);
  }
  const { alg } = decodeProtectedHeader(token);
  if (alg !== algorithm) {
    throw new ConfigError([
      `AUTH_JWT_ALG: is ${algorithm}, but the signing key stored in the database is ${String(alg)}. Set AUTH_JWT_ALG=${String(alg)}, or delete the rows of the jwks table to make a new ${algorithm} key (tokens signed with the old one then stop working)`,
    ]);
  }
}

function jwtPluginOptions(settings: BetterAuthSettings): JwtOptions {
  const claims: JwtOptions['jwt'] = {
    issuer: settings.baseUrl,
    audience: settings.baseUrl,
    expirationTime: `${settings.jwtLifetimeSeconds}s`,
    definePayload: ({ user }) => ({ user_id: user.id, email: user.email, name: user.name }),
  };
  if (settings.algorithm !== 'HS256') {
    const keyPairConfig: JWKOptions =
      settings.algorithm === 'EdDSA'
        ? { alg: 'EdDSA', crv: 'Ed25519' }
        : { alg: settings.algorithm };
    return { jwks: { keyPairConfig }, jwt: claims };
  }
  // Shared-secret mode: tokens are HMAC-signed with BETTER_AUTH_SECRET. The plugin only takes a
  // custom signer together with a remote key set URL, and then turns its own JWKS route off.
  const secret = new TextEncoder().encode(settings.secret);
  return {
    jwks: {
      remoteUrl: `${settings.baseUrl}${AUTH_BASE_PATH}/jwks`,
      keyPairConfig: { alg: 'EdDSA' },
    },
    jwt: {
      ...claims,
      sign: (payload) =>
        new SignJWT(payload).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(secret),
    },
  };
}

function openConnection(database: DatabaseConfig, logger: Logger) {
  if (database.kind === 'sqlite') {
    mkdirSync(dirname(database.path), { recursive: true });
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
