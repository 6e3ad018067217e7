import { BlockList, isIP } from 'node:net';
import { resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError } from './config-error.js';
import type { DatabaseConfig } from './database-config.js';

export const MIN_SECRET_LENGTH = 32;

/** Algorithms a token may be signed with: one is chosen, every other is refused. */
export const JWT_ALGORITHMS = ['EdDSA', 'ES256', 'ES512', 'RS256', 'PS256', 'HS256'] as const;
export type JwtAlgorithm = (typeof JWT_ALGORITHMS)[number];
export type AsymmetricJwtAlgorithm = Exclude<JwtAlgorithm, 'HS256'>;

/** Who issues the tokens this API accepts, and how they are checked. */
export interface TokenSettings {
  readonly algorithm: JwtAlgorithm;
  /** Set: an external issuer's key set, fetched over HTTP. Null: the embedded Better Auth's. */
  readonly jwksUrl: string | null;
  readonly issuer: string;
  readonly audience: string;
  readonly lifetimeSeconds: number;
}

export interface AppConfig {
  readonly production: boolean;
  /** Better Auth runs inside this service at /api/auth; false: tokens come from elsewhere only. */
  readonly embeddedAuth: boolean;
  readonly http: { readonly host: string; readonly port: number };
  readonly database: DatabaseConfig;
  /**
   * Null when unset: outside production a development secret is then generated and kept; with
   * AUTH_EMBEDDED=false and a key set, none is needed.
   */
  readonly authSecret: string | null;
  readonly authUrl: string;
  readonly tokens: TokenSettings;
  readonly corsOrigins: readonly string[];
  /** Addresses of reverse proxies whose X-Forwarded-For is believed. */
  readonly trustedProxies: readonly string[];
  /** Serve the task page at `/`. */
  readonly webUi: boolean;
  readonly dataDir: string;
  readonly logLevel: string;
  /** Concurrent connections this instance accepts; more are closed at once. */
  readonly maxConnections: number;
  /** Task API requests per minute per user on this instance; 0: no limit. */
  readonly taskApiRateLimit: number;
}

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

const proxyAddress = z
  .string()
  .refine(isAddressOrSubnet, 'each entry must be an IP address or a CIDR range such as 10.0.0.0/8');

const trueOrFalse = z
  .enum(['true', 'false'], { error: 'must be true or false' })
  .transform((value) => value === 'true');

const httpUrl = (example: string) =>
  z.url({ protocol: /^https?$/, error: `must be an http(s) URL such as ${example}` });

const fields = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z
    .string()
    .regex(/^\d{1,5}$/, 'must be a port number, in digits (0 picks a free one)')
    .transform(Number)
    .refine((port) => port <= 65535, 'must be between 0 and 65535')
    .default(8000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/\S+$/, 'must be a postgres:// or postgresql:// URL')
    .refine(
      parsesAsUrl,
      'is not a valid URL: percent-encode special characters in the user name and password (/ as %2F, @ as %40)',
    )
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
    .max(7 * 24 * 60 * 60, 'must be at most 604800 seconds (the session lifetime)')
    .default(24 * 60 * 60),
  AUTH_EMBEDDED: trueOrFalse.default(true),
  CORS_ORIGINS: list.pipe(z.array(origin)),
  TRUSTED_PROXIES: list.pipe(z.array(proxyAddress)),
  WEB_UI: trueOrFalse.optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  MAX_CONNECTIONS: z
    .string()
    .regex(/^\d{1,7}$/, 'must be a whole number of connections, such as 1000')
    .transform(Number)
    .refine((count) => count >= 1, 'must be at least 1')
    .default(1000),
  TASK_API_RATE_LIMIT: z
    .string()
    .regex(/^\d{1,7}$/, 'must be a whole number of requests per minute (0 turns the limit off)')
    .transform(Number)
    .default(600),
});

const schema = fields.superRefine((env, ctx) => {
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
  const authUrl = e.BETTER_AUTH_URL ?? `http://localhost:${e.PORT}`;
  return {
    production: e.NODE_ENV === 'production',
    embeddedAuth: e.AUTH_EMBEDDED,
    http: { host: e.HOST, port: e.PORT },
    database: e.DATABASE_URL
      ? { kind: 'postgres', url: e.DATABASE_URL }
      : { kind: 'sqlite', path: resolve(dataDir, 'app.sqlite') },
    authSecret: e.BETTER_AUTH_SECRET ?? null,
    authUrl,
    tokens: {
      algorithm: e.AUTH_JWT_ALG,
      jwksUrl: e.AUTH_JWKS_URL ?? null,
      issuer: e.AUTH_ISSUER ?? authUrl,
      audience: e.AUTH_AUDIENCE ?? authUrl,
      lifetimeSeconds: e.AUTH_JWT_LIFETIME_SECONDS,
    },
    corsOrigins: e.CORS_ORIGINS,
    trustedProxies: e.TRUSTED_PROXIES,
    webUi: e.WEB_UI ?? e.AUTH_EMBEDDED,
    dataDir,
    logLevel: e.LOG_LEVEL,
    maxConnections: e.MAX_CONNECTIONS,
    taskApiRateLimit: e.TASK_API_RATE_LIMIT,
  };
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

function isAddressOrSubnet(value: string): boolean {
  const [address = '', prefix] = value.split('/');
  const family = isIP(address);
  if (family === 0) return false;
  if (prefix === undefined) return true;
  const bits = Number(prefix);
  const max = family === 4 ? 32 : 128;
  if (!/^\d+$/.test(prefix) || bits > max) return false;
  new BlockList().addSubnet(address, bits, family === 4 ? 'ipv4' : 'ipv6');
  return true;
}
