import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { MikroORM } from '@mikro-orm/core';
import { TOKENS } from '../../src/infrastructure/di/tokens.js';
import type { RunningServer } from '../../src/server.js';
import { Api, signUp, type SignedInUser } from '../support/api-client.js';
import {
  createPostgresDatabase,
  createSqliteDatabase,
  type TestDatabase,
} from '../support/test-database.js';
import { startTestService, TEST_AUTH_URL } from '../support/test-service.js';

/** MAX_IDEMPOTENCY_KEYS_PER_USER's default. */
const CAP = 1_000;
const CREATES = 1_200;
// 1 200 creates per database: far longer than a usual test on a busy machine.
jest.setTimeout(300_000);

/**
 * Idempotency-Keys are bounded per user like tasks are: past the cap the oldest key is dropped,
 * never a create refused, also with many creates at once. Which keys go, one claim after another,
 * is the IdempotencyStore contract's to check.
 */
describe.each([
  ['PostgreSQL', () => createPostgresDatabase('http_key_cap')],
  ['SQLite', async () => createSqliteDatabase()],
])('the Idempotency-Keys a user holds on %s', (_name, createDatabase) => {
  let database: TestDatabase;
  let service: RunningServer;
  let api: Api;
  let orm: MikroORM;

  beforeAll(async () => {
    database = await createDatabase();
    // 1 200 creates 24 at a time queue for the pool: deadlines are other suites' subject.
    service = await startTestService({
      database: database.config,
      taskApiRateLimit: 0,
      requestTimeoutSeconds: 120,
    });
    api = new Api(service.url);
    orm = (await service.services.container.getAsync(TOKENS.Database)).orm;
  });

  afterAll(async () => {
    await service?.close();
    await database?.drop();
  });

  async function keysHeldBy(user: SignedInUser): Promise<number> {
    const [row] = await orm.em
      .getConnection()
      .execute<{ n: number | string }[]>(
        'select count(*) as n from "idempotency_key" where "user_id" = ?',
        [user.id],
      );
    return Number(row?.n);
  }

  const create = (user: SignedInUser, key: string, title = key) =>
    api.request<{ title: string }>('POST', `/api/${user.id}/tasks`, {
      token: user.token,
      json: { title },
      headers: { 'Idempotency-Key': key },
    });

  /** Sends every create, `parallel` at a time; answers their statuses. */
  async function createAll(user: SignedInUser, keys: readonly string[], parallel: number) {
    const statuses: number[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: parallel }, async () => {
        while (next < keys.length) {
          const key = keys[next++] as string;
          statuses.push((await create(user, key)).status);
        }
      }),
    );
    return statuses;
  }

  it('keeps at most 1 000 keys when 1 200 creates with fresh keys run at once, and refuses none', async () => {
    const user = await signUp(api, 'Many Keys');
    const keys = Array.from({ length: CREATES }, (_, i) => `key-${i}-${randomUUID()}`);

    expect(await createAll(user, keys, 24)).toEqual(Array(CREATES).fill(201));

    // The newest 1 000 are never dropped, and the last drop to run sees every claim.
    expect(await keysHeldBy(user)).toBe(CAP);
    const newest = await create(user, keys[CREATES - 1] as string);
    expect(newest.status).toBe(201);
    expect(newest.headers.get('idempotent-replayed')).toBe('true');
    expect((await create(user, `one-more-${randomUUID()}`)).status).toBe(201);
    expect(await keysHeldBy(user)).toBe(CAP);
  });

  it('erases the keys of a deleted account', async () => {
    const user = await signUp(api, 'Leaving');
    await createAll(user, ['a', 'b', 'c'], 3);
    expect(await keysHeldBy(user)).toBe(3);

    const deleted = await fetch(`${service.url}/api/auth/delete-user`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: TEST_AUTH_URL, Cookie: user.cookie },
      body: '{}',
    });
    expect(deleted.status).toBe(200);
    expect(await keysHeldBy(user)).toBe(0);
  });
});
