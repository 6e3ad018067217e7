import { afterAll, beforeAll } from '@jest/globals';
import type { MikroORM } from '@mikro-orm/core';
import {
  createOrm,
  migrateTasks,
} from '../../src/infrastructure/persistence/mikro-orm/mikro-orm.js';
import { MikroOrmTaskRepository } from '../../src/infrastructure/persistence/mikro-orm/mikro-orm-task-repository.js';
import type { TestDatabase } from '../support/test-database.js';
import { taskRepositoryContract } from './task-repository.contract.js';

/** Runs the TaskRepository contract on MikroORM over one database; each test starts empty. */
export function mikroOrmTaskRepositoryContract(
  name: string,
  createDatabase: () => Promise<TestDatabase>,
): void {
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

  taskRepositoryContract(name, async () => {
    await orm.em.getConnection().execute('delete from "task"');
    await orm.em.getConnection().execute('delete from "task_count"');
    await orm.em.getConnection().execute('delete from "task_change"');
    return { repository: new MikroOrmTaskRepository(orm), teardown: async () => {} };
  });
}
