import { betterAuth, type BetterAuthOptions } from 'better-auth';
import { getMigrations } from 'better-auth/db/migration';
import { jwt, openAPI, type JWKOptions, type JwtOptions } from 'better-auth/plugins';
import { decodeProtectedHeader, SignJWT } from 'jose';
import type { Logger } from 'pino';
import { ConfigError } from '../config/config-error.js';
import { SESSION_LIFETIME_SECONDS, type EmbeddedIssuer, type JwtAlgorithm } from '../config/env.js';
import { startPeriodicJob, type PeriodicSchedule } from '../system/periodic-job.js';
import { betterAuthLogger } from './better-auth-logger.js';
import { authOperations } from './better-auth-openapi.js';
import { betterAuthRoutes } from './better-auth-routes.js';
import { identityHooks } from './identity-rules.js';
import { RateLimitSweeper } from './rate-limit-sweeper.js';
import { redirectUrlRule } from './redirect-url-rule.js';
import { revocationPlugin, type SessionEvents } from './revocation-plugin.js';

export interface BetterAuthSettings {
  readonly issuer: EmbeddedIssuer;
  /** BETTER_AUTH_SECRET, or the development secret kept in the data folder. */
  readonly secret: string;
  readonly trustedOrigins: readonly string[];
  /** TRUSTED_PROXIES as addresses and CIDR ranges. */
  readonly trustedProxies: readonly string[];
  readonly production: boolean;
}

/** A connection Better Auth can use: a PostgreSQL pool or an SQLite database. */
export type BetterAuthDatabase = NonNullable<BetterAuthOptions['database']>;

export const AUTH_BASE_PATH = '/api/auth';
const DAY_SECONDS = 24 * 60 * 60;
const RATE_LIMIT_SWEEPS: PeriodicSchedule = { everyMs: 60_000, jitterMs: 10_000 };

/**
 * Better Auth with email + password and the JWT plugin, on a connection its caller owns (and
 * closes).
 */
export function createBetterAuth(
  settings: BetterAuthSettings,
  database: BetterAuthDatabase,
  logger: Logger,
  events: SessionEvents,
) {
  const { issuer } = settings;
  const options = {
    appName: 'Task API',
    baseURL: issuer.url,
    basePath: AUTH_BASE_PATH,
    secret: settings.secret,
    database,
    trustedOrigins: [...settings.trustedOrigins],
    emailAndPassword: {
      enabled: true,
      minPasswordLength: 8,
      maxPasswordLength: 128,
      // A reset ends every session, and so every token issued from them.
      revokeSessionsOnPasswordReset: true,
    },
    // POST /api/auth/delete-user: the account, its sessions, its tokens and its tasks go.
    user: { deleteUser: { enabled: true } },
    session: { expiresIn: SESSION_LIFETIME_SECONDS, updateAge: DAY_SECONDS },
    // Sign-in and sign-up are throttled per client address (3 per 10 s on sign-in) in production.
    // The counters live in the database, so every instance behind a load balancer shares them.
    rateLimit: { enabled: settings.production, storage: 'database' },
    // Names, emails and images are bounded and checked on every write of a user.
    databaseHooks: identityHooks,
    advanced: {
      // Said outright: Better Auth turns its origin and CSRF checks off when NODE_ENV=test.
      disableOriginCheck: false,
      // Said outright rather than left to Better Auth's guess: an https URL means Secure cookies.
      useSecureCookies: issuer.url.startsWith('https:'),
      ipAddress: {
        ipAddressHeaders: ['x-forwarded-for'],
        trustedProxies: [...settings.trustedProxies],
      },
    },
    telemetry: { enabled: false },
    // A failure Better Auth does not turn into an answer reaches the mount, which logs it through
    // the JSON logger; otherwise its router prints it raw to stderr ("# SERVER_ERROR").
    onAPIError: { throw: true },
    logger: betterAuthLogger(logger),
    // A redirect URL a Location header cannot carry is a 400, not a 500.
    hooks: { before: redirectUrlRule },
    plugins: [
      jwt(jwtPluginOptions(settings)),
      revocationPlugin(events, {
        keepsOtherSessions: issuer.passwordChangeKeepsOtherSessions,
      }),
      // Its schema generator describes the route table's endpoints in the OpenAPI document; its
      // own routes are outside the table, so unreachable.
      openAPI({ disableDefaultReference: true }),
    ],
  } satisfies BetterAuthOptions;
  const auth = betterAuth(options);
  const rateLimitSweeper = options.rateLimit.enabled
    ? new RateLimitSweeper(async () => (await auth.$context).adapter)
    : null;
  const sweeps =
    rateLimitSweeper &&
    startPeriodicJob({ name: 'delete expired rate-limit rows', ...RATE_LIMIT_SWEEPS, logger }, () =>
      rateLimitSweeper.sweep(),
    );
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
      if (issuer.algorithm !== 'HS256') await assertSigningKeyUsable(auth, issuer.algorithm);
    },
    /**
     * The endpoints of the route table as OpenAPI operations, from Better Auth's own schema
     * generator. After `migrate`: Better Auth checks its tables first.
     */
    operations: async () =>
      authOperations({
        generated: await auth.api.generateOpenAPISchema(),
        routes: betterAuthRoutes(auth.options),
        basePath: AUTH_BASE_PATH,
        sessionCookie: (await auth.$context).authCookies.sessionToken.name,
        maxPasswordLength: options.emailAndPassword.maxPasswordLength,
      }),
    /** Stops its background work; the connection is its owner's to close. */
    close: async () => {
      await sweeps?.stop();
    },
  };
}

export type EmbeddedBetterAuth = ReturnType<typeof createBetterAuth>;
export type BetterAuthInstance = EmbeddedBetterAuth['auth'];

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

function jwtPluginOptions({ issuer, secret }: BetterAuthSettings): JwtOptions {
  const claims: JwtOptions['jwt'] = {
    issuer: issuer.url,
    audience: issuer.url,
    expirationTime: `${issuer.lifetimeSeconds}s`,
    // sid names the session a token came from, so that ending it ends the token. Never put
    // session.token here: it is the session credential itself.
    definePayload: ({ user, session }) => ({
      user_id: user.id,
      email: user.email,
      name: user.name,
      sid: session.id,
    }),
  };
  if (issuer.algorithm !== 'HS256') {
    const keyPairConfig: JWKOptions =
      issuer.algorithm === 'EdDSA' ? { alg: 'EdDSA', crv: 'Ed25519' } : { alg: issuer.algorithm };
    return { jwks: { keyPairConfig }, jwt: claims };
  }
  // Shared-secret mode: tokens are HMAC-signed with BETTER_AUTH_SECRET. The plugin only takes a
  // custom signer together with a remote key set URL, and then turns its own JWKS route off.
  const key = new TextEncoder().encode(secret);
  return {
    jwks: {
      remoteUrl: `${issuer.url}${AUTH_BASE_PATH}/jwks`,
      keyPairConfig: { alg: 'EdDSA' },
    },
    jwt: {
      ...claims,
      sign: (payload) =>
        new SignJWT(payload).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(key),
    },
  };
}
