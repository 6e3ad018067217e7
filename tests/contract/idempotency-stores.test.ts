import { afterAll, beforeAll, describe } from '@jest/globals';
import type { MikroORM } from '@mikro-orm/core';
import {
  createOrm,
  migrateTasks,
} from '../../src/infrastructure/persistence/mikro-orm/mikro-orm.js';
import { MikroOrmIdempotencyStore } from '../../src/infrastructure/persistence/mikro-orm/mikro-orm-idempotency-store.js';
import {
  createPostgresDatabase,
  createSqliteDatabase,
  type TestDatabase,
} from '../support/test-database.js';
import { idempotencyStoreContract } from './idempotency-store.contract.js';

describe.each([
  ['PostgreSQL', () => createPostgresDatabase('contract_idempotency')],
  ['SQLite', async () => createSqliteDatabase()],
])('MikroOrmIdempotencyStore on %s', (name, createDatabase) => {
  let database: TestDatabase;
  let orm: MikroORM;

  beforeAll(async () => {
    database = await createDatabase();
    orm = await createOrm(database.config);
    await migrateTasks(orm);
  });

  afterAll(async () => {
    await orm?.close(true);
    await database?.drop();
  });

  idempotencyStoreContract(`MikroOrmIdempotencyStore on ${name}`, async () => {
    await orm.em.getConnection().execute('delete from "idempotency_key"');
    return new MikroOrmIdempotencyStore(orm);
  });
});
