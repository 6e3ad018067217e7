import { afterAll, beforeAll } from '@jest/globals';
import type { MikroORM } from '@mikro-orm/core';
import {
  createOrm,
  migrateTasks,
} from '../../src/infrastructure/persistence/mikro-orm/mikro-orm.js';
import { MikroOrmTaskRepository } from '../../src/infrastructure/persistence/mikro-orm/mikro-orm-task-repository.js';
import { createSqliteDatabase, type TestDatabase } from '../support/test-database.js';
import { taskRepositoryContract } from './task-repository.contract.js';

let database: TestDatabase;
let orm: MikroORM;

beforeAll(async () => {
  database = createSqliteDatabase();
  orm = await createOrm(database.config);
  await migrateTasks(orm);
});

afterAll(async () => {
  await orm?.close(true);
  await database?.drop();
});

// One database file for the suite; every test starts from an empty table.
taskRepositoryContract('MikroOrmTaskRepository on SQLite', async () => {
  await orm.em.getConnection().execute('delete from "task"');
  return { repository: new MikroOrmTaskRepository(orm), teardown: async () => {} };
});
