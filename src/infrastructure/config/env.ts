import { resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError } from './config-error.js';
import type { DatabaseConfig } from './database-config.js';

export const MIN_SECRET_LENGTH = 32;

export interface AppConfig {
  readonly production: boolean;
  readonly http: { readonly host: string; readonly port: number };
  readonly database: DatabaseConfig;
  /** Null outside production when unset: a development secret is then generated and kept. */
  readonly authSecret: string | null;
  readonly authUrl: string;
  readonly corsOrigins: readonly string[];
  readonly dataDir: string;
  readonly logLevel: string;
}

const origin = z.string().refine((value) => {
  try {
    return new URL(value).origin === value;
  } catch {
    return false;
  }
}, 'each entry must be an origin such as https://app.example.com (scheme, host, optional port; no path or trailing slash)');

const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: z.coerce
      .number({ error: 'must be a port number' })
      .int('must be a whole number')
      .min(0, 'must be between 0 and 65535')
      .max(65535, 'must be between 0 and 65535')
      .default(8000),
    HOST: z.string().min(1).default('0.0.0.0'),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\/\S+$/, 'must be a postgres:// or postgresql:// URL')
      .optional(),
    BETTER_AUTH_SECRET: z
      .string()
      .min(
        MIN_SECRET_LENGTH,
        `must be at least ${MIN_SECRET_LENGTH} characters (try: openssl rand -base64 32)`,
      )
      .optional(),
    BETTER_AUTH_URL: z
      .url({
        protocol: /^https?$/,
        error: 'must be an http(s) URL such as https://api.example.com',
      })
      .optional(),
    CORS_ORIGINS: z
      .string()
      .default('')
      .transform((list) =>
        list
          .split(',')
          .map((entry) => entry.trim())
          .filter(Boolean),
      )
      .pipe(z.array(origin)),
    DATA_DIR: z.string().min(1).default('./data'),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && !env.BETTER_AUTH_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['BETTER_AUTH_SECRET'],
        message: `is required when NODE_ENV=production (at least ${MIN_SECRET_LENGTH} characters; try: openssl rand -base64 32)`,
      });
    }
  });

/** Reads and checks the environment; throws ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = schema.safeParse(blankAsUnset(env));
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  const dataDir = resolve(e.DATA_DIR);
  return {
    production: e.NODE_ENV === 'production',
    http: { host: e.HOST, port: e.PORT },
    database: e.DATABASE_URL
      ? { kind: 'postgres', url: e.DATABASE_URL }
      : { kind: 'sqlite', path: resolve(dataDir, 'app.sqlite') },
    authSecret: e.BETTER_AUTH_SECRET ?? null,
    authUrl: e.BETTER_AUTH_URL ?? `http://localhost:${e.PORT}`,
    corsOrigins: e.CORS_ORIGINS,
    dataDir,
    logLevel: e.LOG_LEVEL,
  };
}

/** `FOO=` in a shell or .env file means "not set", not "set to nothing". */
function blankAsUnset(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => !!entry[1]?.trim()),
  );
}
