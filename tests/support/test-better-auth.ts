import { pino } from 'pino';
import {
  createBetterAuth,
  type EmbeddedBetterAuth,
} from '../../src/infrastructure/auth/better-auth.js';
import type { DatabaseConfig } from '../../src/infrastructure/config/database-config.js';
import type { JwtAlgorithm } from '../../src/infrastructure/config/env.js';
import { openDatabase } from '../../src/infrastructure/persistence/database.js';
import { TEST_AUTH_URL, TEST_SECRET } from './test-service.js';

export interface TestBetterAuthOptions {
  readonly algorithm?: JwtAlgorithm;
  /** Production turns rate limits (and their rows) on. */
  readonly production?: boolean;
}

/** The service's own Better Auth on `database`, as the composition root builds it. */
export async function testBetterAuth(
  database: DatabaseConfig,
  options: TestBetterAuthOptions = {},
): Promise<{ betterAuth: EmbeddedBetterAuth; close(): Promise<void> }> {
  const opened = await openDatabase(database, { debug: () => undefined, warn: () => undefined });
  const betterAuth = createBetterAuth(
    {
      issuer: {
        url: TEST_AUTH_URL,
        secret: { source: 'environment', value: TEST_SECRET },
        algorithm: options.algorithm ?? 'EdDSA',
        lifetimeSeconds: 3600,
        passwordChangeKeepsOtherSessions: false,
      },
      secret: TEST_SECRET,
      trustedOrigins: [],
      trustedProxies: [],
      production: options.production ?? false,
    },
    opened.forBetterAuth,
    pino({ level: 'silent' }),
    {
      sessionEnded: async () => undefined,
      userTokensEnded: async () => ({ cutoff: new Date() }),
      userDeleted: async () => undefined,
    },
  );
  return {
    betterAuth,
    close: async () => {
      await betterAuth.close();
      await opened.close();
    },
  };
}
