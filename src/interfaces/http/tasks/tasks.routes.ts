import Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import type { CreateTaskUseCase } from '../../../application/tasks/create-task.use-case.js';
import type { DeleteTaskUseCase } from '../../../application/tasks/delete-task.use-case.js';
import type { GetTaskUseCase } from '../../../application/tasks/get-task.use-case.js';
import type { ListTasksUseCase } from '../../../application/tasks/list-tasks.use-case.js';
import {
  assertOwnList,
  type TaskListScope,
  type TaskScope,
} from '../../../application/tasks/task-scope.js';
import type { ToggleTaskCompletionUseCase } from '../../../application/tasks/toggle-task-completion.use-case.js';
import type { UpdateTaskUseCase } from '../../../application/tasks/update-task.use-case.js';
import { TaskNotFoundError } from '../../../domain/task/task.errors.js';
import { toTaskId } from '../../../domain/task/task-id.js';
import { currentUser } from '../middleware/authenticate.js';
import { jsonBody } from '../middleware/json-body.js';
import { validate } from '../validation.js';
import {
  createTaskBody,
  listTasksQuery,
  replaceTaskBody,
  updateTaskBody,
} from './tasks.schemas.js';

export interface TaskUseCases {
  readonly create: CreateTaskUseCase;
  readonly list: ListTasksUseCase;
  readonly get: GetTaskUseCase;
  readonly update: UpdateTaskUseCase;
  readonly toggleCompletion: ToggleTaskCompletionUseCase;
  readonly remove: DeleteTaskUseCase;
}

/** The task API under /api/{user_id}/tasks. Every route runs behind `authenticated`. */
export function taskRoutes(tasks: TaskUseCases, authenticated: Middleware): Router {
  const router = new Router({ prefix: '/api/:userId/tasks' });
  // Another user's path, or an id that names no task, is 404 before the body or the query is
  // read: whatever is wrong with them, the answer is the same.
  router.use(authenticated, ownListOnly, jsonBody());
  router.param('taskId', (taskId, _ctx, next) => {
    if (toTaskId(taskId) === null) throw new TaskNotFoundError(taskId);
    return next();
  });

  router.get('/', async (ctx) => {
    const query = validate(listTasksQuery, ctx.query, 'query.');
    ctx.body = await tasks.list.execute({
      ...listScope(ctx),
      ...query,
      cursor: query.cursor ?? null,
    });
  });

  router.post('/', async (ctx) => {
    const body = validate(createTaskBody, ctx.request.body);
    const task = await tasks.create.execute({ ...listScope(ctx), ...body });
    ctx.status = 201;
    ctx.set('Location', `/api/${encodeURIComponent(task.userId)}/tasks/${task.id}`);
    ctx.body = task;
  });

  router.get('/:taskId', async (ctx) => {
    ctx.body = await tasks.get.execute(taskScope(ctx));
  });

  router.put('/:taskId', async (ctx) => {
    const changes = validate(replaceTaskBody, ctx.request.body);
    ctx.body = await tasks.update.execute({ ...taskScope(ctx), changes });
  });

  router.patch('/:taskId', async (ctx) => {
    const changes = validate(updateTaskBody, ctx.request.body);
    ctx.body = await tasks.update.execute({ ...taskScope(ctx), changes });
  });

  router.patch('/:taskId/complete', async (ctx) => {
    ctx.body = await tasks.toggleCompletion.execute(taskScope(ctx));
  });

  router.delete('/:taskId', async (ctx) => {
    await tasks.remove.execute(taskScope(ctx));
    ctx.status = 204;
  });

  return router;
}

const ownListOnly: Middleware = async (ctx, next) => {
  assertOwnList(listScope(ctx));
  await next();
};

function listScope(ctx: Context): TaskListScope {
  return { actorId: currentUser(ctx).id, ownerId: String(ctx.params.userId) };
}

function taskScope(ctx: Context): TaskScope {
  return { ...listScope(ctx), taskId: String(ctx.params.taskId) };
}
