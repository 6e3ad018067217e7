import { InMemoryTaskRepository } from '../../src/infrastructure/persistence/in-memory/in-memory-task-repository.js';
import {
  createOrm,
  migrateTasks,
} from '../../src/infrastructure/persistence/mikro-orm/mikro-orm.js';
import { MikroOrmTaskRepository } from '../../src/infrastructure/persistence/mikro-orm/mikro-orm-task-repository.js';
import {
  createPostgresDatabase,
  createSqliteDatabase,
  type TestDatabase,
} from '../support/test-database.js';
import { taskListProperty } from './task-list.property.js';

async function onDatabase(database: TestDatabase) {
  const orm = await createOrm(database.config);
  await migrateTasks(orm);
  return {
    tasks: new MikroOrmTaskRepository(orm),
    close: async () => {
      await orm.close(true);
      await database.drop();
    },
  };
}

taskListProperty(
  'InMemoryTaskRepository',
  async () => ({ tasks: new InMemoryTaskRepository(), close: async () => {} }),
  300,
);
taskListProperty(
  'MikroOrmTaskRepository on PostgreSQL',
  async () => onDatabase(await createPostgresDatabase('property_task_list')),
  150,
);
taskListProperty(
  'MikroOrmTaskRepository on SQLite',
  async () => onDatabase(createSqliteDatabase()),
  150,
);
