import { afterAll, beforeAll, describe } from '@jest/globals';
import type { MikroORM } from '@mikro-orm/core';
import { InMemoryTaskRepository } from '../../src/infrastructure/persistence/in-memory/in-memory-task-repository.js';
import {
  createOrm,
  migrateTasks,
} from '../../src/infrastructure/persistence/mikro-orm/mikro-orm.js';
import { MikroOrmTaskChangeFeed } from '../../src/infrastructure/persistence/mikro-orm/mikro-orm-task-change-feed.js';
import { MikroOrmTaskRepository } from '../../src/infrastructure/persistence/mikro-orm/mikro-orm-task-repository.js';
import {
  createPostgresDatabase,
  createSqliteDatabase,
  type TestDatabase,
} from '../support/test-database.js';
import { taskChangeFeedContract } from './task-change-feed.contract.js';

taskChangeFeedContract('InMemoryTaskRepository.changeFeed', async (clock) => {
  const repository = new InMemoryTaskRepository(clock);
  return { repository, feed: repository.changeFeed };
});

describe.each([
  ['PostgreSQL', () => createPostgresDatabase('contract_change_feed')],
  ['SQLite', async () => createSqliteDatabase()],
])('MikroOrmTaskChangeFeed on %s', (name, createDatabase) => {
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

  taskChangeFeedContract(`MikroOrmTaskChangeFeed on ${name}`, async (clock) => {
    for (const table of ['task', 'task_count', 'task_change'])
      await orm.em.getConnection().execute(`delete from "${table}"`);
    return {
      repository: new MikroOrmTaskRepository(orm, clock),
      feed: new MikroOrmTaskChangeFeed(orm),
    };
  });
});
