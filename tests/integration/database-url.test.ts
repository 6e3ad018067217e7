import { afterAll, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { createBetterAuth } from '../../src/infrastructure/auth/better-auth.js';
import type { DatabaseConfig } from '../../src/infrastructure/config/database-config.js';
import { openDatabase } from '../../src/infrastructure/persistence/database.js';
import { createOrm } from '../../src/infrastructure/persistence/mikro-orm/mikro-orm.js';
import { TEST_DATABASE_URL } from '../support/test-database.js';
import { TEST_AUTH_URL, TEST_SECRET } from '../support/test-service.js';

/** The test server speaks no TLS: a URL that asks for it must fail on every connection alike. */
function withQuery(query: string): DatabaseConfig {
  return { kind: 'postgres', url: `${TEST_DATABASE_URL}?${query}` };
}

describe('every connection reads DATABASE_URL the same way', () => {
  const closers: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    await Promise.allSettled(closers.map((close) => close()));
  });

  async function ormAnswer(database: DatabaseConfig): Promise<unknown> {
    const orm = await createOrm(database);
    closers.push(() => orm.close());
    return orm.em.getConnection().execute('select 1 as one');
  }

  async function authAnswer(database: DatabaseConfig): Promise<unknown> {
    const opened = await openDatabase(database, { debug: () => {}, warn: () => {} });
    closers.push(() => opened.close());
    const { auth } = createBetterAuth(
      {
        issuer: {
          url: TEST_AUTH_URL,
          secret: { source: 'environment', value: TEST_SECRET },
          algorithm: 'EdDSA',
          lifetimeSeconds: 60,
        },
        secret: TEST_SECRET,
        trustedOrigins: [],
        trustedProxies: [],
        production: false,
      },
      opened.forBetterAuth,
      pino({ level: 'silent' }),
    );
    const context = await auth.$context;
    return context.internalAdapter.findUserByEmail('nobody@example.com');
  }

  it.each(['ssl=true', 'sslmode=require', 'sslmode=no-verify'])(
    'asks for TLS with ?%s in MikroORM and in Better Auth',
    async (query) => {
      await expect(ormAnswer(withQuery(query))).rejects.toThrow(/SSL/);
      await expect(authAnswer(withQuery(query))).rejects.toThrow(/SSL/);
    },
  );

  it('connects without TLS when the URL does not ask for it', async () => {
    await expect(ormAnswer(withQuery('application_name=task-api'))).resolves.toEqual([{ one: 1 }]);
  });
});
