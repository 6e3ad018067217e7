import { pino } from 'pino';
import {
  DEFAULT_POOL_SIZE,
  type DatabaseConfig,
} from '../../src/infrastructure/config/database-config.js';
import {
  IN_FLIGHT_PER_CONNECTION,
  parseProxyRange,
  type AppConfig,
  type AuthConfig,
  type EmbeddedIssuer,
  type JwtAlgorithm,
  type ProxyRange,
  type RateLimitStore,
} from '../../src/infrastructure/config/env.js';
import type { ContainerOverrides } from '../../src/infrastructure/di/container.js';
import { startServer, type RunningServer } from '../../src/server.js';

/** The issuer, audience and trusted origin of every test service. */
export const TEST_AUTH_URL = 'http://task-api.test';
export const TEST_SECRET = 'test-secret-that-is-at-least-32-characters-long';

/** How the test service checks tokens; unset fields are those of the embedded Better Auth. */
export interface TestTokenSettings {
  readonly algorithm?: JwtAlgorithm;
  /** An external issuer's key set (AUTH_JWKS_URL). */
  readonly jwksUrl?: string;
  readonly issuer?: string;
  readonly audience?: string;
  readonly lifetimeSeconds?: number;
  /** JWT_MAX_AGE_SECONDS (default: the embedded issuer's lifetime, as in production). */
  readonly maxAgeSeconds?: number;
  /** PASSWORD_CHANGE_KEEPS_OTHER_SESSIONS (default false, as in production). */
  readonly passwordChangeKeepsOtherSessions?: boolean;
}

export interface TestServiceOptions {
  readonly database: DatabaseConfig;
  readonly overrides?: ContainerOverrides;
  readonly tokens?: TestTokenSettings;
  readonly production?: boolean;
  readonly trustedProxies?: readonly string[];
  readonly webUi?: boolean;
  /** Serve /openapi.json and /docs (default true, as in production). */
  readonly apiDocs?: boolean;
  readonly corsOrigins?: readonly string[];
  readonly maxTasksPerUser?: number | null;
  /** Most Idempotency-Keys per user (default 1000, as in production). */
  readonly maxIdempotencyKeysPerUser?: number;
  readonly revocationMaxStalenessSeconds?: number;
  /** False: no Better Auth in the service (tokens must come from `tokens.jwksUrl`). */
  readonly embeddedAuth?: boolean;
  /** BETTER_AUTH_URL (default TEST_AUTH_URL), also the tokens' issuer and audience. */
  readonly authUrl?: string;
  /** HSTS_INCLUDE_SUBDOMAINS (default true; only with an https authUrl). */
  readonly hstsIncludeSubDomains?: boolean;
  readonly maxConnections?: number;
  /** Task API requests per minute per user (default 600, as in production; 0: off). */
  readonly taskApiRateLimit?: number;
  /** Where it is counted (default as in production: the PostgreSQL database, or memory on SQLite). */
  readonly rateLimitStore?: RateLimitStore;
  /** Prometheus metrics (default off, as in production). */
  readonly metrics?: AppConfig['metrics'];
  /** REQUEST_TIMEOUT_SECONDS (default 10, as in production). */
  readonly requestTimeoutSeconds?: number;
  /** MAX_IN_FLIGHT (default: as in production, from the pool size). */
  readonly maxInFlight?: number;
  /** MAX_EVENT_STREAMS_PER_USER and MAX_EVENT_STREAMS (default 10 and 750, as in production). */
  readonly eventStreams?: AppConfig['eventStreams'];
}

/** The configuration of a test service: loopback, a free port, a fixed secret, silent logs. */
export function testServiceConfig(options: TestServiceOptions): AppConfig {
  const authUrl = options.authUrl ?? TEST_AUTH_URL;
  return {
    production: options.production ?? false,
    http: { host: '127.0.0.1', port: 0 },
    database: options.database,
    publicUrl: authUrl,
    strictTransportSecurity: authUrl.startsWith('https:')
      ? { includeSubDomains: options.hstsIncludeSubDomains ?? true }
      : null,
    auth: testAuthConfig(authUrl, options.tokens ?? {}, options.embeddedAuth ?? true),
    corsOrigins: options.corsOrigins ?? [],
    trustedProxies: (options.trustedProxies ?? []).map(proxyRange),
    webUi: options.webUi ?? false,
    apiDocs: options.apiDocs ?? true,
    maxTasksPerUser: options.maxTasksPerUser ?? null,
    maxIdempotencyKeysPerUser: options.maxIdempotencyKeysPerUser ?? 1000,
    changeRetentionDays: 30,
    dataDir: '/nonexistent',
    logLevel: 'silent',
    maxConnections: options.maxConnections ?? 1000,
    eventStreams: options.eventStreams ?? { maxPerUser: 10, max: 750 },
    taskApiRateLimit: options.taskApiRateLimit ?? 600,
    rateLimitStore:
      options.rateLimitStore ??
      (options.database.kind === 'postgres' ? { kind: 'database' } : { kind: 'memory' }),
    revocationMaxStalenessSeconds: options.revocationMaxStalenessSeconds ?? 30,
    metrics: options.metrics ?? null,
    requestTimeoutSeconds: options.requestTimeoutSeconds ?? 10,
    maxInFlight:
      options.maxInFlight ??
      IN_FLIGHT_PER_CONNECTION *
        ((options.database.kind === 'postgres' && options.database.poolSize) || DEFAULT_POOL_SIZE),
    shutdown: { delaySeconds: 0, graceSeconds: 20 },
    tracing: false,
  };
}

function testAuthConfig(
  authUrl: string,
  tokens: TestTokenSettings,
  embeddedAuth: boolean,
): AuthConfig {
  const algorithm = tokens.algorithm ?? 'EdDSA';
  const embedded: EmbeddedIssuer = {
    url: authUrl,
    secret: { source: 'environment', value: TEST_SECRET },
    algorithm,
    lifetimeSeconds: tokens.lifetimeSeconds ?? 24 * 60 * 60,
    passwordChangeKeepsOtherSessions: tokens.passwordChangeKeepsOtherSessions ?? false,
  };
  const check = {
    algorithm,
    issuer: tokens.issuer ?? authUrl,
    audience: tokens.audience ?? authUrl,
    maxAgeSeconds:
      tokens.maxAgeSeconds ??
      (tokens.jwksUrl || !embeddedAuth ? 24 * 60 * 60 : embedded.lifetimeSeconds),
    sessionRequired: false,
  };
  if (tokens.jwksUrl) {
    return {
      ...check,
      mode: 'external-key-set',
      jwksUrl: tokens.jwksUrl,
      embedded: embeddedAuth ? embedded : null,
    };
  }
  if (!embeddedAuth)
    return { ...check, mode: 'external-hs256', secret: TEST_SECRET, embedded: null };
  if (algorithm === 'HS256') return { ...check, mode: 'embedded-hs256', embedded };
  return { ...check, mode: 'embedded-key-set', embedded, sessionRequired: true };
}

function proxyRange(entry: string): ProxyRange {
  const range = parseProxyRange(entry);
  if (!range) throw new Error(`not a proxy address: ${entry}`);
  return range;
}

/** Starts the real service (real Better Auth, real database, real HTTP) on a free port. */
export function startTestService(options: TestServiceOptions): Promise<RunningServer> {
  return startServer(testServiceConfig(options), {
    logger: pino({ level: 'silent' }),
    ...options.overrides,
  });
}
