/** The Task API client: `import { createTasksClient } from 'better-auth-task-api/client'`. */
export { createTaskApiAuthClient, type TaskApiAuthClient } from './auth-client.js';
export {
  createTasksClient,
  type Me,
  type Task,
  type Priority,
  type Recurrence,
  type TaskRef,
  type TaskPage,
  type TaskChange,
  type TaskSync,
  type WatchOptions,
  type TasksClient,
  type TasksClientOptions,
  type CreateTaskBody,
  type ReplaceTaskBody,
  type UpdateTaskBody,
  type ListTasksQuery,
} from './tasks-client.js';
export { TokenCache, type TokenSource } from './token-cache.js';
export * from './api-errors.js';
