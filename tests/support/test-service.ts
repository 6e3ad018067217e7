import { pino } from 'pino';
import type { ContainerOverrides, ServiceConfig } from '../../src/infrastructure/di/container.js';
import type { DatabaseConfig } from '../../src/infrastructure/config/database-config.js';
import { startServer, type RunningServer } from '../../src/server.js';

/** The issuer, audience and trusted origin of every test service. */
export const TEST_AUTH_URL = 'http://task-api.test';
export const TEST_SECRET = 'test-secret-that-is-at-least-32-characters-long';

export interface TestServiceOptions {
  readonly database: DatabaseConfig;
  readonly overrides?: ContainerOverrides;
  readonly jwtLifetimeSeconds?: number;
}

/** Starts the real service (real Better Auth, real database, real HTTP) on a free port. */
export function startTestService(options: TestServiceOptions): Promise<RunningServer> {
  const config: ServiceConfig = {
    production: false,
    http: { host: '127.0.0.1', port: 0 },
    database: options.database,
    authSecret: TEST_SECRET,
    authUrl: TEST_AUTH_URL,
    corsOrigins: [],
    dataDir: '/nonexistent',
    logLevel: 'silent',
    jwtLifetimeSeconds: options.jwtLifetimeSeconds,
  };
  return startServer(config, { logger: pino({ level: 'silent' }), ...options.overrides });
}
