import { InMemoryTaskRepository } from '../../src/infrastructure/persistence/in-memory/in-memory-task-repository.js';
import { taskRepositoryContract } from './task-repository.contract.js';

taskRepositoryContract('InMemoryTaskRepository', async () => ({
  repository: new InMemoryTaskRepository(),
  teardown: async () => {},
}));
