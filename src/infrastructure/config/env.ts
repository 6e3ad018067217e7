import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { z } from 'zod';
import { DEFAULT_TOKEN_LIFETIME_SECONDS } from '../../application/auth/token-lifetime.js';
import { DEFAULT_MAX_IDEMPOTENCY_KEYS_PER_OWNER } from '../../application/tasks/create-task.use-case.js';
import { DEFAULT_CHANGE_RETENTION_DAYS } from '../../application/tasks/sync-token.js';
import { ConfigError } from './config-error.js';
import { DEFAULT_POOL_SIZE, type DatabaseConfig } from './database-config.js';

export const MIN_SECRET_LENGTH = 32;

/** How long a Better Auth session lasts: no token it issues may outlive it. */
export const SESSION_LIFETIME_SECONDS = 7 * 24 * 60 * 60;

/** Algorithms a token may be signed with: one is chosen, every other is refused. */
export const JWT_ALGORITHMS = ['EdDSA', 'ES256', 'ES512', 'RS256', 'PS256', 'HS256'] as const;
export type JwtAlgorithm = (typeof JWT_ALGORITHMS)[number];
export type AsymmetricJwtAlgorithm = Exclude<JwtAlgorithm, 'HS256'>;

/** A secret from BETTER_AUTH_SECRET, or, outside production, one kept in the data folder. */
export type SecretSetting =
  { readonly source: 'environment'; readonly value: string } | { readonly source: 'development' };

/** Better Auth running inside this service at /api/auth, issuing tokens. */
export interface EmbeddedIssuer {
  /** BETTER_AUTH_URL: where clients reach this service; its tokens' iss and aud. */
  readonly url: string;
  readonly secret: SecretSetting;
  readonly algorithm: JwtAlgorithm;
  readonly lifetimeSeconds: number;
  /**
   * PASSWORD_CHANGE_KEEPS_OTHER_SESSIONS: a password change that does not say
   * `revokeOtherSessions` keeps the user's other sessions (true) or ends them (false, default).
   */
  readonly passwordChangeKeepsOtherSessions: boolean;
}

/** What a token must say to be accepted, whoever signs it. */
interface TokenCheck {
  readonly algorithm: JwtAlgorithm;
  readonly issuer: string;
  readonly audience: string;
  /** JWT_MAX_AGE_SECONDS: the longest a token may live, from iat to exp. */
  readonly maxAgeSeconds: number;
  /** Every token must name its session (sid): true where only the embedded key set can sign. */
  readonly sessionRequired: boolean;
}

/** Who issues the tokens this API accepts, and what they are checked with. */
export type AuthConfig =
  /** The embedded Better Auth's key set, read in-process. */
  | (TokenCheck & { readonly mode: 'embedded-key-set'; readonly embedded: EmbeddedIssuer })
  /** Tokens HMAC-signed by the embedded Better Auth with its secret. */
  | (TokenCheck & { readonly mode: 'embedded-hs256'; readonly embedded: EmbeddedIssuer })
  /** Another issuer's key set over HTTP; an embedded Better Auth may still run beside it. */
  | (TokenCheck & {
      readonly mode: 'external-key-set';
      readonly jwksUrl: string;
      readonly embedded: EmbeddedIssuer | null;
    })
  /** Tokens HMAC-signed by another issuer with the secret it shares with this API. */
  | (TokenCheck & {
      readonly mode: 'external-hs256';
      readonly secret: string;
      readonly embedded: null;
    });

/** Where the Prometheus metrics are served; null in AppConfig when neither is configured. */
export interface MetricsConfig {
  /** METRICS_PORT on METRICS_HOST: a listener of its own, no token (null: none). */
  readonly listener: { readonly host: string; readonly port: number } | null;
  /** METRICS_TOKEN: GET /metrics on the API's port, for this bearer token only (null: not there). */
  readonly token: string | null;
}

/**
 * Where TASK_API_RATE_LIMIT is counted: this instance's memory, the PostgreSQL database every
 * instance shares, or Redis at REDIS_URL.
 */
export type RateLimitStore =
  | { readonly kind: 'memory' }
  | { readonly kind: 'database' }
  | { readonly kind: 'redis'; readonly url: string };

export const RATE_LIMIT_STORES = ['memory', 'database', 'redis'] as const;

/** An entry of TRUSTED_PROXIES: an address, or a CIDR range when `prefix` is set. */
export interface ProxyRange {
  readonly address: string;
  readonly prefix: number | null;
  readonly family: 'ipv4' | 'ipv6';
}

export interface AppConfig {
  readonly production: boolean;
  /** BETTER_AUTH_URL: where clients reach this service (http://localhost:PORT when unset). */
  readonly publicUrl: string;
  /** Strict-Transport-Security on every answer: only when publicUrl is https. */
  readonly strictTransportSecurity: { readonly includeSubDomains: boolean } | null;
  readonly http: { readonly host: string; readonly port: number };
  readonly database: DatabaseConfig;
  readonly auth: AuthConfig;
  readonly corsOrigins: readonly string[];
  /** Reverse proxies whose X-Forwarded-For is believed. */
  readonly trustedProxies: readonly ProxyRange[];
  /** Serve the task page at `/`. */
  readonly webUi: boolean;
  /** Serve the OpenAPI document at /openapi.json and its reference page at /docs. */
  readonly apiDocs: boolean;
  /** Most tasks one user may keep; null: no limit. */
  readonly maxTasksPerUser: number | null;
  /** Most Idempotency-Keys one user holds; a new one drops the oldest. */
  readonly maxIdempotencyKeysPerUser: number;
  /** How long a sync token stays valid, and deleted tasks are remembered for it, in days. */
  readonly changeRetentionDays: number;
  readonly dataDir: string;
  readonly logLevel: string;
  /** Concurrent connections this instance accepts; more are closed at once. */
  readonly maxConnections: number;
  /** Event streams (GET /tasks/events) open at once: per user, and on this instance. */
  readonly eventStreams: { readonly maxPerUser: number; readonly max: number };
  /** Task API requests per minute per user, across every instance sharing the store; 0: no limit. */
  readonly taskApiRateLimit: number;
  /** Where the per-user limit is counted (RATE_LIMIT_STORE, REDIS_URL). */
  readonly rateLimitStore: RateLimitStore;
  /** How long an instance may go without confirming its revocation list before it trusts no token. */
  readonly revocationMaxStalenessSeconds: number;
  /** Prometheus metrics; null: off (the default). */
  readonly metrics: MetricsConfig | null;
  /** Every request is answered within this (a 503 when its work is not done by then). */
  readonly requestTimeoutSeconds: number;
  /** Requests one instance works on at once (health checks aside); more get a 503 at once. */
  readonly maxInFlight: number;
  /** SIGTERM: how long new requests are still served, then how long in-flight ones may finish. */
  readonly shutdown: { readonly delaySeconds: number; readonly graceSeconds: number };
  /**
   * Export traces with OpenTelemetry: an OTLP endpoint or a traces exporter is configured (the
   * standard OTEL_* variables, which the SDK itself reads), and OTEL_SDK_DISABLED is not true.
   */
  readonly tracing: boolean;
}

/** Event streams one user may hold open on an instance, unless MAX_EVENT_STREAMS_PER_USER says. */
export const DEFAULT_MAX_EVENT_STREAMS_PER_USER = 10;
/** Event streams one instance holds open at most, unless MAX_EVENT_STREAMS says. */
export const DEFAULT_MAX_EVENT_STREAMS = 5_000;

/** MAX_IN_FLIGHT when unset: requests waiting per pooled connection. */
export const IN_FLIGHT_PER_CONNECTION = 20;

const list = z
  .string()
  .default('')
  .transform((value) =>
    value
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean),
  );

const origin = z.string().refine((value) => {
  try {
    return new URL(value).origin === value;
  } catch {
    return false;
  }
}, 'each entry must be an origin such as https://app.example.com (scheme, host, optional port; no path or trailing slash)');

const proxyRange = z.string().transform((value, ctx) => {
  const range = parseProxyRange(value);
  if (range) return range;
  ctx.addIssue({
    code: 'custom',
    message: 'each entry must be an IP address or a CIDR range such as 10.0.0.0/8',
  });
  return z.NEVER;
});

const trueOrFalse = z
  .enum(['true', 'false'], { error: 'must be true or false' })
  .transform((value) => value === 'true');

/** A whole number of seconds between `min` and `max`. */
function seconds(example: string, min: number, max: number) {
  return z
    .string()
    .regex(/^\d{1,4}$/, `must be a whole number of seconds, such as ${example}`)
    .transform(Number)
    .refine((value) => value >= min && value <= max, `must be between ${min} and ${max} seconds`)
    .default(Number(example));
}

const httpUrl = (example: string) =>
  z.url({ protocol: /^https?$/, error: `must be an http(s) URL such as ${example}` });

/** What OTEL_TRACES_EXPORTER may name (the Node SDK's exporters). */
const TRACES_EXPORTERS = new Set(['otlp', 'console', 'zipkin', 'none']);

const otlpProtocol = z
  .enum(['http/protobuf', 'http/json', 'grpc'], {
    error: 'must be http/protobuf, http/json or grpc',
  })
  .optional();

const portNumber = z
  .string()
  .regex(/^\d{1,5}$/, 'must be a port number, in digits (0 picks a free one)')
  .transform(Number)
  .refine((port) => port <= 65535, 'must be between 0 and 65535');

const fields = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: portNumber.default(8000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/\S+$/, 'must be a postgres:// or postgresql:// URL')
    .refine(
      parsesAsUrl,
      'is not a valid URL: percent-encode special characters in the user name and password (/ as %2F, @ as %40)',
    )
    .optional(),
  DATABASE_LISTEN_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/\S+$/, 'must be a postgres:// or postgresql:// URL')
    .refine(
      parsesAsUrl,
      'is not a valid URL: percent-encode special characters in the user name and password (/ as %2F, @ as %40)',
    )
    .optional(),
  REVOCATION_MAX_STALENESS_SECONDS: z
    .string()
    .regex(/^\d{1,5}$/, 'must be a whole number of seconds, such as 30')
    .transform(Number)
    .refine((seconds) => seconds >= 5, 'must be at least 5 seconds')
    .default(30),
  DATABASE_POOL_SIZE: z
    .string()
    .regex(/^\d{1,3}$/, 'must be a whole number of connections, such as 10')
    .transform(Number)
    .refine((size) => size >= 2 && size <= 100, 'must be between 2 and 100')
    .optional(),
  BETTER_AUTH_SECRET: z
    .string()
    .min(
      MIN_SECRET_LENGTH,
      `must be at least ${MIN_SECRET_LENGTH} characters (try: openssl rand -base64 32)`,
    )
    .optional(),
  BETTER_AUTH_URL: httpUrl('https://api.example.com')
    .refine(
      isOrigin,
      'must be an origin such as https://api.example.com: no path, query or fragment (Better Auth is served at /api/auth on it)',
    )
    .transform((url) => new URL(url).origin)
    .optional(),
  AUTH_JWT_ALG: z
    .enum(JWT_ALGORITHMS, { error: `must be one of ${JWT_ALGORITHMS.join(', ')}` })
    .default('EdDSA'),
  AUTH_JWKS_URL: httpUrl('https://app.example.com/api/auth/jwks').optional(),
  AUTH_ISSUER: z.string().min(1).optional(),
  AUTH_AUDIENCE: z.string().min(1).optional(),
  AUTH_JWT_LIFETIME_SECONDS: z.coerce
    .number({ error: 'must be a number of seconds' })
    .int('must be a whole number of seconds')
    .min(5, 'must be at least 5 seconds')
    .max(
      SESSION_LIFETIME_SECONDS,
      `must be at most ${SESSION_LIFETIME_SECONDS} seconds (the session lifetime)`,
    )
    .default(DEFAULT_TOKEN_LIFETIME_SECONDS),
  JWT_MAX_AGE_SECONDS: z
    .string()
    .regex(/^\d{1,7}$/, 'must be a whole number of seconds, such as 86400')
    .transform(Number)
    .refine((seconds) => seconds >= 5, 'must be at least 5 seconds')
    .refine(
      (seconds) => seconds <= SESSION_LIFETIME_SECONDS,
      `must be at most ${SESSION_LIFETIME_SECONDS} seconds (the session lifetime)`,
    )
    .optional(),
  AUTH_EMBEDDED: trueOrFalse.default(true),
  MAX_TASKS_PER_USER: z
    .string()
    .regex(/^\d{1,9}$/, 'must be a whole number of tasks (0: no limit)')
    .transform(Number)
    .default(10_000),
  MAX_IDEMPOTENCY_KEYS_PER_USER: z
    .string()
    .regex(/^\d{1,7}$/, 'must be a whole number of keys, such as 1000')
    .transform(Number)
    .refine((count) => count >= 1, 'must be at least 1 (a create keeps its key to answer a retry)')
    .default(DEFAULT_MAX_IDEMPOTENCY_KEYS_PER_OWNER),
  CHANGE_RETENTION_DAYS: z
    .string()
    .regex(/^\d{1,4}$/, 'must be a whole number of days, such as 30')
    .transform(Number)
    .refine((days) => days >= 1, 'must be at least 1 day (sync tokens live that long)')
    .default(DEFAULT_CHANGE_RETENTION_DAYS),
  CORS_ORIGINS: list.pipe(z.array(origin)),
  TRUSTED_PROXIES: list.pipe(z.array(proxyRange)),
  WEB_UI: trueOrFalse.optional(),
  API_DOCS: trueOrFalse.default(true),
  HSTS_INCLUDE_SUBDOMAINS: trueOrFalse.default(true),
  PASSWORD_CHANGE_KEEPS_OTHER_SESSIONS: trueOrFalse.default(false),
  DATA_DIR: z.string().min(1).default('./data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  MAX_CONNECTIONS: z
    .string()
    .regex(/^\d{1,7}$/, 'must be a whole number of connections, such as 1000')
    .transform(Number)
    .refine((count) => count >= 1, 'must be at least 1')
    .default(1000),
  MAX_EVENT_STREAMS_PER_USER: z
    .string()
    .regex(/^\d{1,4}$/, 'must be a whole number of streams, such as 10')
    .transform(Number)
    .refine((count) => count >= 1, 'must be at least 1')
    .default(DEFAULT_MAX_EVENT_STREAMS_PER_USER),
  MAX_EVENT_STREAMS: z
    .string()
    .regex(/^\d{1,7}$/, 'must be a whole number of streams, such as 5000')
    .transform(Number)
    .refine((count) => count >= 1, 'must be at least 1')
    .optional(),
  METRICS_PORT: portNumber.optional(),
  METRICS_HOST: z.string().min(1).optional(),
  METRICS_TOKEN: z
    .string()
    .regex(
      /^[\x21-\x7e]{32,}$/,
      'must be at least 32 printable ASCII characters without spaces (try: openssl rand -hex 32)',
    )
    .optional(),
  TASK_API_RATE_LIMIT: z
    .string()
    .regex(/^\d{1,7}$/, 'must be a whole number of requests per minute (0 turns the limit off)')
    .transform(Number)
    .default(600),
  RATE_LIMIT_STORE: z
    .enum(RATE_LIMIT_STORES, { error: `must be one of ${RATE_LIMIT_STORES.join(', ')}` })
    .optional(),
  REDIS_URL: z
    .string()
    .regex(
      /^rediss?:\/\/\S+$/,
      'must be a redis:// or rediss:// URL, such as redis://127.0.0.1:6379',
    )
    .refine(
      parsesAsUrl,
      'is not a valid URL: percent-encode special characters in the user name and password (/ as %2F, @ as %40)',
    )
    .optional(),
  REQUEST_TIMEOUT_SECONDS: seconds('10', 1, 300),
  MAX_IN_FLIGHT: z
    .string()
    .regex(/^\d{1,6}$/, 'must be a whole number of requests, such as 200')
    .transform(Number)
    .refine((count) => count >= 1, 'must be at least 1')
    .optional(),
  SHUTDOWN_DELAY_SECONDS: seconds('5', 0, 300),
  SHUTDOWN_GRACE_SECONDS: seconds('20', 1, 600),
  // OpenTelemetry's standard variables: checked here so a typo stops the process rather than
  // silently exporting nothing; the SDK reads them itself.
  OTEL_SDK_DISABLED: trueOrFalse.default(false),
  OTEL_TRACES_EXPORTER: list.refine(
    (names) => names.every((name) => TRACES_EXPORTERS.has(name)),
    `must list exporters among ${[...TRACES_EXPORTERS].join(', ')}`,
  ),
  OTEL_EXPORTER_OTLP_ENDPOINT: httpUrl('http://127.0.0.1:4318').optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: httpUrl('http://127.0.0.1:4318/v1/traces').optional(),
  OTEL_EXPORTER_OTLP_PROTOCOL: otlpProtocol,
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: otlpProtocol,
  OTEL_TRACES_SAMPLER: z
    .enum(
      [
        'always_on',
        'always_off',
        'traceidratio',
        'parentbased_always_on',
        'parentbased_always_off',
        'parentbased_traceidratio',
      ],
      { error: 'must be a sampler such as parentbased_traceidratio (or always_on)' },
    )
    .optional(),
  OTEL_TRACES_SAMPLER_ARG: z
    .string()
    .regex(/^(0(\.\d+)?|1(\.0+)?)$/, 'must be a ratio between 0 and 1, such as 0.1')
    .optional(),
});

const schema = fields.superRefine((env, ctx) => {
  if (env.METRICS_HOST && env.METRICS_PORT === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['METRICS_HOST'],
      message: 'has no effect without METRICS_PORT: set the port the metrics listener binds to',
    });
  }
  if (env.METRICS_PORT !== undefined && env.METRICS_PORT !== 0 && env.METRICS_PORT === env.PORT) {
    ctx.addIssue({
      code: 'custom',
      path: ['METRICS_PORT'],
      message:
        'must differ from PORT: the metrics listener is a second one (set METRICS_TOKEN instead to serve /metrics on PORT)',
    });
  }
  if (env.SHUTDOWN_GRACE_SECONDS < env.REQUEST_TIMEOUT_SECONDS) {
    ctx.addIssue({
      code: 'custom',
      path: ['SHUTDOWN_GRACE_SECONDS'],
      message: `must be at least REQUEST_TIMEOUT_SECONDS (${env.REQUEST_TIMEOUT_SECONDS}): a request in flight at shutdown may take that long`,
    });
  }
  if (env.MAX_EVENT_STREAMS !== undefined && env.MAX_EVENT_STREAMS >= env.MAX_CONNECTIONS) {
    ctx.addIssue({
      code: 'custom',
      path: ['MAX_EVENT_STREAMS'],
      message: `must be below MAX_CONNECTIONS (${env.MAX_CONNECTIONS}): each stream holds a connection, and requests need some too`,
    });
  }
  if (env.RATE_LIMIT_STORE === 'redis' && !env.REDIS_URL) {
    ctx.addIssue({
      code: 'custom',
      path: ['RATE_LIMIT_STORE'],
      message: '=redis needs REDIS_URL, such as redis://127.0.0.1:6379',
    });
  }
  if (env.RATE_LIMIT_STORE === 'database' && !env.DATABASE_URL) {
    ctx.addIssue({
      code: 'custom',
      path: ['RATE_LIMIT_STORE'],
      message:
        '=database needs DATABASE_URL (PostgreSQL): the embedded SQLite database serves one instance, whose memory is enough (memory)',
    });
  }
  if (env.DATABASE_LISTEN_URL && !env.DATABASE_URL) {
    ctx.addIssue({
      code: 'custom',
      path: ['DATABASE_LISTEN_URL'],
      message:
        'needs DATABASE_URL: it is a second, direct connection to the same PostgreSQL database',
    });
  }
  if (env.NODE_ENV === 'production' && env.AUTH_EMBEDDED && !env.BETTER_AUTH_URL) {
    ctx.addIssue({
      code: 'custom',
      path: ['BETTER_AUTH_URL'],
      message:
        'is required when NODE_ENV=production: the URL clients reach this service at, such as https://api.example.com',
    });
  }
  if (
    env.NODE_ENV === 'production' &&
    env.BETTER_AUTH_URL &&
    !isSecureOrigin(env.BETTER_AUTH_URL)
  ) {
    ctx.addIssue({
      code: 'custom',
      path: ['BETTER_AUTH_URL'],
      message:
        'must be an https: URL when NODE_ENV=production (session cookies and tokens would cross the network in clear); only localhost, 127.0.0.1 and [::1] may use http:',
    });
  }
  if (env.AUTH_EMBEDDED && !env.AUTH_JWKS_URL && env.AUTH_JWT_ALG !== 'HS256') {
    embeddedIssuerIssues(env, ctx);
  }
  if (
    embeddedIssuesCheckedTokens(env) &&
    env.JWT_MAX_AGE_SECONDS !== undefined &&
    env.AUTH_JWT_LIFETIME_SECONDS > env.JWT_MAX_AGE_SECONDS
  ) {
    ctx.addIssue({
      code: 'custom',
      path: ['AUTH_JWT_LIFETIME_SECONDS'],
      message: `must be at most JWT_MAX_AGE_SECONDS (${env.JWT_MAX_AGE_SECONDS}): the embedded Better Auth would issue tokens this API refuses; shorten the lifetime or raise JWT_MAX_AGE_SECONDS`,
    });
  }
  if (env.NODE_ENV === 'production' && env.AUTH_EMBEDDED && !env.BETTER_AUTH_SECRET) {
    ctx.addIssue({
      code: 'custom',
      path: ['BETTER_AUTH_SECRET'],
      message: `is required when NODE_ENV=production (at least ${MIN_SECRET_LENGTH} characters; try: openssl rand -base64 32)`,
    });
  }
  if (!env.AUTH_EMBEDDED) externalIssuerIssues(env, ctx);
  if (env.AUTH_JWT_ALG === 'HS256' && env.AUTH_JWKS_URL) {
    ctx.addIssue({
      code: 'custom',
      path: ['AUTH_JWKS_URL'],
      message:
        'has no effect with AUTH_JWT_ALG=HS256 (tokens are checked with BETTER_AUTH_SECRET); remove one of them',
    });
  }
});

/**
 * The embedded Better Auth signs every token with iss = aud = BETTER_AUTH_URL; other values
 * would make the API refuse all of them.
 */
function embeddedIssuerIssues(env: z.output<typeof fields>, ctx: z.RefinementCtx): void {
  const authUrl = env.BETTER_AUTH_URL ?? `http://localhost:${env.PORT}`;
  for (const name of ['AUTH_ISSUER', 'AUTH_AUDIENCE'] as const) {
    if (env[name] !== undefined && env[name] !== authUrl) {
      ctx.addIssue({
        code: 'custom',
        path: [name],
        message:
          'must be BETTER_AUTH_URL or unset while the embedded Better Auth issues the tokens (it signs iss and aud with BETTER_AUTH_URL); set AUTH_JWKS_URL to trust another issuer',
      });
    }
  }
}

/** The embedded Better Auth signs the tokens the API checks (not another issuer's key set). */
function embeddedIssuesCheckedTokens(env: z.output<typeof fields>): boolean {
  return env.AUTH_EMBEDDED && !env.AUTH_JWKS_URL;
}

/** With AUTH_EMBEDDED=false the API trusts another service's tokens and runs no Better Auth. */
function externalIssuerIssues(env: z.output<typeof fields>, ctx: z.RefinementCtx): void {
  if (!env.AUTH_JWKS_URL && env.AUTH_JWT_ALG !== 'HS256') {
    ctx.addIssue({
      code: 'custom',
      path: ['AUTH_EMBEDDED'],
      message:
        '=false needs the issuer to trust: set AUTH_JWKS_URL to its key set (or AUTH_JWT_ALG=HS256 with its BETTER_AUTH_SECRET)',
    });
  }
  if (env.AUTH_JWT_ALG === 'HS256' && !env.BETTER_AUTH_SECRET) {
    ctx.addIssue({
      code: 'custom',
      path: ['BETTER_AUTH_SECRET'],
      message: 'is required with AUTH_JWT_ALG=HS256 and AUTH_EMBEDDED=false: the issuer’s secret',
    });
  }
  if (!env.AUTH_ISSUER) {
    ctx.addIssue({
      code: 'custom',
      path: ['AUTH_ISSUER'],
      message:
        'is required with AUTH_EMBEDDED=false: the exact iss of the issuer’s tokens (its BETTER_AUTH_URL)',
    });
  }
  if (env.WEB_UI === true) {
    ctx.addIssue({
      code: 'custom',
      path: ['WEB_UI'],
      message:
        'cannot be true with AUTH_EMBEDDED=false: the task page signs in through the embedded Better Auth',
    });
  }
}

/** Reads and checks the environment; throws ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = schema.safeParse(blankAsUnset(env));
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  const dataDir = resolve(e.DATA_DIR);
  const publicUrl = e.BETTER_AUTH_URL ?? `http://localhost:${e.PORT}`;
  return {
    production: e.NODE_ENV === 'production',
    publicUrl,
    strictTransportSecurity: publicUrl.startsWith('https:')
      ? { includeSubDomains: e.HSTS_INCLUDE_SUBDOMAINS }
      : null,
    http: { host: e.HOST, port: e.PORT },
    database: e.DATABASE_URL
      ? {
          kind: 'postgres',
          url: e.DATABASE_URL,
          poolSize: e.DATABASE_POOL_SIZE ?? DEFAULT_POOL_SIZE,
          listenUrl: e.DATABASE_LISTEN_URL ?? e.DATABASE_URL,
        }
      : { kind: 'sqlite', path: resolve(dataDir, 'app.sqlite') },
    auth: authConfig(e),
    corsOrigins: e.CORS_ORIGINS,
    trustedProxies: e.TRUSTED_PROXIES,
    webUi: e.WEB_UI ?? e.AUTH_EMBEDDED,
    apiDocs: e.API_DOCS,
    maxTasksPerUser: e.MAX_TASKS_PER_USER === 0 ? null : e.MAX_TASKS_PER_USER,
    maxIdempotencyKeysPerUser: e.MAX_IDEMPOTENCY_KEYS_PER_USER,
    changeRetentionDays: e.CHANGE_RETENTION_DAYS,
    dataDir,
    logLevel: e.LOG_LEVEL,
    maxConnections: e.MAX_CONNECTIONS,
    eventStreams: {
      maxPerUser: e.MAX_EVENT_STREAMS_PER_USER,
      // Unset: 5 000, within three quarters of the connections (the rest for requests).
      max:
        e.MAX_EVENT_STREAMS ??
        Math.max(1, Math.min(DEFAULT_MAX_EVENT_STREAMS, Math.floor((e.MAX_CONNECTIONS * 3) / 4))),
    },
    taskApiRateLimit: e.TASK_API_RATE_LIMIT,
    rateLimitStore: rateLimitStore(e),
    revocationMaxStalenessSeconds: e.REVOCATION_MAX_STALENESS_SECONDS,
    requestTimeoutSeconds: e.REQUEST_TIMEOUT_SECONDS,
    maxInFlight:
      e.MAX_IN_FLIGHT ?? IN_FLIGHT_PER_CONNECTION * (e.DATABASE_POOL_SIZE ?? DEFAULT_POOL_SIZE),
    shutdown: { delaySeconds: e.SHUTDOWN_DELAY_SECONDS, graceSeconds: e.SHUTDOWN_GRACE_SECONDS },
    metrics: metricsConfig(e),
    tracing: tracingConfigured(e),
  };
}

/** On when an OTLP endpoint or an exporter other than `none` is named, unless the SDK is disabled. */
function tracingConfigured(e: z.output<typeof fields>): boolean {
  if (e.OTEL_SDK_DISABLED) return false;
  const exporters = e.OTEL_TRACES_EXPORTER;
  if (exporters.length > 0) return exporters.some((name) => name !== 'none');
  return (
    e.OTEL_EXPORTER_OTLP_ENDPOINT !== undefined ||
    e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT !== undefined
  );
}

/** Unset: Redis when REDIS_URL is set, else the PostgreSQL database, else memory (SQLite). */
function rateLimitStore(e: z.output<typeof fields>): RateLimitStore {
  const kind =
    e.RATE_LIMIT_STORE ?? (e.REDIS_URL ? 'redis' : e.DATABASE_URL ? 'database' : 'memory');
  // The schema refuses RATE_LIMIT_STORE=redis without REDIS_URL.
  return kind === 'redis' ? { kind, url: e.REDIS_URL ?? '' } : { kind };
}

/** Off unless a metrics port or a metrics token is set. */
function metricsConfig(e: z.output<typeof fields>): MetricsConfig | null {
  if (e.METRICS_PORT === undefined && e.METRICS_TOKEN === undefined) return null;
  return {
    listener:
      e.METRICS_PORT === undefined
        ? null
        : { host: e.METRICS_HOST ?? '127.0.0.1', port: e.METRICS_PORT },
    token: e.METRICS_TOKEN ?? null,
  };
}

/** The auth mode the (already cross-checked) variables describe. */
function authConfig(e: z.output<typeof fields>): AuthConfig {
  const url = e.BETTER_AUTH_URL ?? `http://localhost:${e.PORT}`;
  const embeddedSigns = embeddedIssuesCheckedTokens(e);
  const check = {
    algorithm: e.AUTH_JWT_ALG,
    issuer: e.AUTH_ISSUER ?? url,
    audience: e.AUTH_AUDIENCE ?? url,
    // Unset: as long as the embedded Better Auth's tokens live, or a day for another issuer's.
    maxAgeSeconds:
      e.JWT_MAX_AGE_SECONDS ??
      (embeddedSigns ? e.AUTH_JWT_LIFETIME_SECONDS : DEFAULT_TOKEN_LIFETIME_SECONDS),
    // Only this service holds the key set's private keys, and it puts sid in every token.
    sessionRequired: embeddedSigns && e.AUTH_JWT_ALG !== 'HS256',
  };
  const embedded: EmbeddedIssuer | null = e.AUTH_EMBEDDED
    ? {
        url,
        secret: e.BETTER_AUTH_SECRET
          ? { source: 'environment', value: e.BETTER_AUTH_SECRET }
          : { source: 'development' },
        algorithm: e.AUTH_JWT_ALG,
        lifetimeSeconds: e.AUTH_JWT_LIFETIME_SECONDS,
        passwordChangeKeepsOtherSessions: e.PASSWORD_CHANGE_KEEPS_OTHER_SESSIONS,
      }
    : null;
  if (e.AUTH_JWKS_URL)
    return { ...check, mode: 'external-key-set', jwksUrl: e.AUTH_JWKS_URL, embedded };
  if (embedded) {
    return {
      ...check,
      mode: e.AUTH_JWT_ALG === 'HS256' ? 'embedded-hs256' : 'embedded-key-set',
      embedded,
    };
  }
  // The cross-checks guarantee HS256 and a secret here.
  return { ...check, mode: 'external-hs256', secret: e.BETTER_AUTH_SECRET ?? '', embedded: null };
}

/** `FOO=` in a shell or .env file means "not set", not "set to nothing". */
function blankAsUnset(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => !!entry[1]?.trim()),
  );
}

function parsesAsUrl(value: string): boolean {
  return URL.canParse(value);
}

/** Nothing after the host and port but an optional "/" (a value that is no URL fails elsewhere). */
function isOrigin(value: string): boolean {
  if (!URL.canParse(value)) return true;
  const url = new URL(value);
  return url.pathname === '/' && url.search === '' && url.hash === '' && !value.endsWith('?');
}

/** https:, or http: on a loopback host, which browsers treat as secure too. */
function isSecureOrigin(value: string): boolean {
  const { protocol, hostname } = new URL(value);
  return protocol === 'https:' || ['localhost', '127.0.0.1', '[::1]'].includes(hostname);
}

export function parseProxyRange(value: string): ProxyRange | null {
  const [address = '', prefixText] = value.split('/');
  const family = isIP(address);
  if (family === 0) return null;
  const kind = family === 4 ? 'ipv4' : 'ipv6';
  if (prefixText === undefined) return { address, prefix: null, family: kind };
  const prefix = Number(prefixText);
  if (!/^\d+$/.test(prefixText) || prefix > (family === 4 ? 32 : 128)) return null;
  return { address, prefix, family: kind };
}
