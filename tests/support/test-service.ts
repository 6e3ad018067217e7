import { pino } from 'pino';
import type { ContainerOverrides, ServiceConfig } from '../../src/infrastructure/di/container.js';
import type { DatabaseConfig } from '../../src/infrastructure/config/database-config.js';
import type { TokenSettings } from '../../src/infrastructure/config/env.js';
import { startServer, type RunningServer } from '../../src/server.js';

/** The issuer, audience and trusted origin of every test service. */
export const TEST_AUTH_URL = 'http://task-api.test';
export const TEST_SECRET = 'test-secret-that-is-at-least-32-characters-long';

export interface TestServiceOptions {
  readonly database: DatabaseConfig;
  readonly overrides?: ContainerOverrides;
  readonly tokens?: Partial<TokenSettings>;
  readonly production?: boolean;
  readonly trustedProxies?: readonly string[];
  readonly webUi?: boolean;
  readonly corsOrigins?: readonly string[];
  /** False: no Better Auth in the service (tokens must come from `tokens.jwksUrl`). */
  readonly embeddedAuth?: boolean;
  /** BETTER_AUTH_URL (default TEST_AUTH_URL), also the tokens' issuer and audience. */
  readonly authUrl?: string;
  readonly maxConnections?: number;
  /** Task API requests per minute per user (default 600, as in production; 0: off). */
  readonly taskApiRateLimit?: number;
}

/** The configuration of a test service: loopback, a free port, a fixed secret, silent logs. */
export function testServiceConfig(options: TestServiceOptions): ServiceConfig {
  const authUrl = options.authUrl ?? TEST_AUTH_URL;
  return {
    production: options.production ?? false,
    embeddedAuth: options.embeddedAuth ?? true,
    http: { host: '127.0.0.1', port: 0 },
    database: options.database,
    authSecret: TEST_SECRET,
    authUrl,
    tokens: {
      algorithm: 'EdDSA',
      jwksUrl: null,
      issuer: authUrl,
      audience: authUrl,
      lifetimeSeconds: 24 * 60 * 60,
      ...options.tokens,
    },
    corsOrigins: options.corsOrigins ?? [],
    trustedProxies: options.trustedProxies ?? [],
    webUi: options.webUi ?? false,
    dataDir: '/nonexistent',
    logLevel: 'silent',
    maxConnections: options.maxConnections ?? 1000,
    taskApiRateLimit: options.taskApiRateLimit ?? 600,
  };
}

/** Starts the real service (real Better Auth, real database, real HTTP) on a free port. */
export function startTestService(options: TestServiceOptions): Promise<RunningServer> {
  return startServer(testServiceConfig(options), {
    logger: pino({ level: 'silent' }),
    ...options.overrides,
  });
}
