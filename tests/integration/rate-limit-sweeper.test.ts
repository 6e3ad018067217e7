import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import type { EmbeddedBetterAuth } from '../../src/infrastructure/auth/better-auth.js';
import { RATE_LIMIT_ROW_LIFETIME_MS } from '../../src/infrastructure/auth/rate-limit-sweeper.js';
import { createPostgresDatabase, type TestDatabase } from '../support/test-database.js';
import { testBetterAuth } from '../support/test-better-auth.js';
import { TEST_AUTH_URL } from '../support/test-service.js';

describe('expired rate-limit rows', () => {
  let db: TestDatabase;
  let client: pg.Client;
  let betterAuth: EmbeddedBetterAuth;
  let closeAuth: () => Promise<void>;

  beforeAll(async () => {
    db = await createPostgresDatabase('rate_limit_sweeper');
    if (db.config.kind !== 'postgres') throw new Error('needs PostgreSQL');
    ({ betterAuth, close: closeAuth } = await testBetterAuth(db.config, { production: true }));
    await betterAuth.migrate();
    client = new pg.Client({ connectionString: db.config.url });
    await client.connect();
  });

  afterAll(async () => {
    await client?.end();
    await closeAuth?.();
    await db?.drop();
  });

  /** A request from `address`, as the mount hands it over; Better Auth counts it in a row. */
  const requestFrom = (address: string) =>
    betterAuth.auth.handler(
      new Request(`${TEST_AUTH_URL}/api/auth/get-session`, {
        headers: { 'X-Forwarded-For': address },
      }),
    );

  const keys = async () =>
    (await client.query<{ key: string }>('select key from "rateLimit" order by key')).rows.map(
      (row) => row.key,
    );

  it('are deleted by the sweeper; rows still inside a window stay', async () => {
    for (const address of ['198.51.100.1', '198.51.100.2', '198.51.100.3']) {
      expect((await requestFrom(address)).status).toBe(200);
    }
    expect(await keys()).toEqual([
      '198.51.100.1|/get-session',
      '198.51.100.2|/get-session',
      '198.51.100.3|/get-session',
    ]);
    // Two clients that never came back, long ago.
    const longAgo = Date.now() - RATE_LIMIT_ROW_LIFETIME_MS - 1_000;
    await client.query(
      `update "rateLimit" set "lastRequest" = $1 where key <> '198.51.100.3|/get-session'`,
      [longAgo],
    );

    const sweeper = betterAuth.rateLimitSweeper;
    expect(sweeper).not.toBeNull();
    expect(await sweeper?.sweep()).toBe(2);

    expect(await keys()).toEqual(['198.51.100.3|/get-session']);
  });
});
