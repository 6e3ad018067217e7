import { createSqliteDatabase } from '../support/test-database.js';
import { mikroOrmTaskRepositoryContract } from './mikro-orm-task-repository.contract.js';

mikroOrmTaskRepositoryContract('MikroOrmTaskRepository on SQLite', async () =>
  createSqliteDatabase(),
);
