import { afterAll, describe, expect, it } from '@jest/globals';
import type { DatabaseConfig } from '../../src/infrastructure/config/database-config.js';
import { createOrm } from '../../src/infrastructure/persistence/mikro-orm/mikro-orm.js';
import { TEST_DATABASE_URL } from '../support/test-database.js';
import { testBetterAuth } from '../support/test-better-auth.js';

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
    const { betterAuth, close } = await testBetterAuth(database);
    closers.push(close);
    const auth = betterAuth.auth;
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
