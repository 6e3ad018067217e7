import { createPostgresDatabase } from '../support/test-database.js';
import { mikroOrmTaskRepositoryContract } from './mikro-orm-task-repository.contract.js';

mikroOrmTaskRepositoryContract('MikroOrmTaskRepository on PostgreSQL', () =>
  createPostgresDatabase('contract_task_repository'),
);
