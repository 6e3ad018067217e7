import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import type { RunningServer } from '../../src/server.js';
import { Api, signUp } from '../support/api-client.js';
import { createPostgresDatabase, type TestDatabase } from '../support/test-database.js';
import { startTestService, TEST_AUTH_URL } from '../support/test-service.js';

const POOL_SIZE = 3;

/** Better Auth borrows MikroORM's pool: one pool per database, and Better Auth still sees Dates. */
describe('one connection pool for the tasks and Better Auth', () => {
  let db: TestDatabase;
  let service: RunningServer;
  let api: Api;
  let admin: pg.Client;

  beforeAll(async () => {
    db = await createPostgresDatabase('shared_pool');
    if (db.config.kind !== 'postgres') throw new Error('needs PostgreSQL');
    service = await startTestService({ database: { ...db.config, poolSize: POOL_SIZE } });
    api = new Api(service.url);
    admin = new pg.Client({ connectionString: db.config.url });
    await admin.connect();
  });

  afterAll(async () => {
    await admin?.end();
    await service?.close();
    await db?.drop();
  });

  it('never opens more than DATABASE_POOL_SIZE connections (and the one that listens), whatever the load', async () => {
    const users = await Promise.all(Array.from({ length: 6 }, (_, i) => signUp(api, `Load ${i}`)));
    await Promise.all(
      users.flatMap((user) => [
        api.request('POST', `/api/${user.id}/tasks`, { token: user.token, json: { title: 'x' } }),
        fetch(`${service.url}/api/auth/get-session`, { headers: { Cookie: user.cookie } }),
        api.request('GET', `/api/${user.id}/tasks`, { token: user.token }),
      ]),
    );
    const { rows } = await admin.query<{ connections: string; listening: string }>(
      `select count(*) filter (where application_name <> 'task-api-listen') as connections,
              count(*) filter (where application_name = 'task-api-listen') as listening
         from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`,
    );
    expect(Number(rows[0]?.connections)).toBeLessThanOrEqual(POOL_SIZE);
    expect(Number(rows[0]?.listening)).toBe(1);
  });

  it('lets Better Auth compare dates: a session past its expiry is refused', async () => {
    const user = await signUp(api, 'Expiring');
    const session = () =>
      fetch(`${service.url}/api/auth/get-session`, {
        headers: { Cookie: user.cookie, Origin: TEST_AUTH_URL },
      }).then((res) => res.json() as Promise<{ user?: { id: string } } | null>);
    expect((await session())?.user?.id).toBe(user.id);

    await admin.query(
      `update "session" set "expiresAt" = now() - interval '1 minute' where "userId" = $1`,
      [user.id],
    );
    expect(await session()).toBeNull();
  });
});
