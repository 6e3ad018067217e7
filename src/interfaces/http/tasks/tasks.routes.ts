import Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import type { CreateTaskUseCase } from '../../../application/tasks/create-task.use-case.js';
import type { DeleteTaskUseCase } from '../../../application/tasks/delete-task.use-case.js';
import type { GetTaskUseCase } from '../../../application/tasks/get-task.use-case.js';
import type { ListTasksUseCase } from '../../../application/tasks/list-tasks.use-case.js';
import {
  ownTaskList,
  taskIdOrNotFound,
  type OwnTask,
  type OwnTaskList,
} from '../../../application/tasks/own-task-list.js';
import type { ToggleTaskCompletionUseCase } from '../../../application/tasks/toggle-task-completion.use-case.js';
import type { TaskView } from '../../../application/tasks/task.view.js';
import type { UpdateTaskUseCase } from '../../../application/tasks/update-task.use-case.js';
import type { VersionCondition } from '../../../application/tasks/version-condition.js';
import { currentUser } from '../middleware/authenticate.js';
import { jsonBody } from '../middleware/json-body.js';
import { HttpProblem, problem } from '../problem.js';
import { validate } from '../validation.js';
import { etagOf, ifMatchCondition, noneMatch } from './entity-tags.js';
import { fingerprintOf, idempotencyKeyOf } from './idempotency-key.js';
import {
  createTaskBody,
  listTasksQuery,
  replaceTaskBody,
  updateTaskBody,
} from './tasks.schemas.js';

/** The use cases behind the task routes. */
export interface TaskRouteUseCases {
  readonly createTask: CreateTaskUseCase;
  readonly listTasks: ListTasksUseCase;
  readonly getTask: GetTaskUseCase;
  readonly updateTask: UpdateTaskUseCase;
  readonly toggleTaskCompletion: ToggleTaskCompletionUseCase;
  readonly deleteTask: DeleteTaskUseCase;
}

/** The task API under /api/{user_id}/tasks. Every route runs behind `authenticated`. */
export function taskRoutes(useCases: TaskRouteUseCases, authenticated: Middleware): Router {
  const router = new Router({ prefix: '/api/:userId/tasks' });
  // Another user's path, or an id that names no task, is 404 before the body or the query is
  // read: whatever is wrong with them, the answer is the same.
  router.use(authenticated, ownListOnly, jsonBody());
  router.param('taskId', (raw, ctx, next) => {
    ctx.state.taskId = taskIdOrNotFound(raw);
    return next();
  });

  router.get('/', async (ctx) => {
    const { priority, tag, q, cursor, ...query } = validate(listTasksQuery, ctx.query, 'query.');
    ctx.body = await useCases.listTasks.execute({
      list: ownList(ctx),
      ...query,
      priorities: priority,
      tags: tag,
      text: q,
      cursor: cursor ?? null,
    });
  });

  router.post('/', async (ctx) => {
    const key = idempotencyKeyOf(singleHeader(ctx, 'Idempotency-Key'));
    const body = validate(createTaskBody, ctx.request.body);
    const { task, replayed } = await useCases.createTask.execute({
      list: ownList(ctx),
      ...body,
      ...(key === undefined
        ? {}
        : { idempotency: { key, fingerprint: fingerprintOf(ctx.request.body) } }),
    });
    ctx.status = 201;
    ctx.set('Location', `/api/${encodeURIComponent(task.userId)}/tasks/${task.id}`);
    if (replayed) ctx.set('Idempotent-Replayed', 'true');
    sendTask(ctx, task);
  });

  router.get('/:taskId', async (ctx) => {
    const task = await useCases.getTask.execute(ownTask(ctx));
    if (noneMatch(ctx.headers['if-none-match'], task)) return sendTask(ctx, task);
    ctx.status = 304;
    ctx.set('ETag', etagOf(task));
  });

  router.put('/:taskId', async (ctx) => {
    const changes = validate(replaceTaskBody, ctx.request.body);
    const target = await guardedTask(ctx);
    sendTask(ctx, await useCases.updateTask.execute({ ...target, changes }));
  });

  router.patch('/:taskId', async (ctx) => {
    const changes = validate(updateTaskBody, ctx.request.body);
    const target = await guardedTask(ctx);
    sendTask(ctx, await useCases.updateTask.execute({ ...target, changes }));
  });

  router.patch('/:taskId/complete', async (ctx) => {
    sendTask(ctx, await useCases.toggleTaskCompletion.execute(await guardedTask(ctx)));
  });

  router.delete('/:taskId', async (ctx) => {
    await useCases.deleteTask.execute(await guardedTask(ctx));
    ctx.status = 204;
  });

  /**
   * The task a write names, with the version condition its If-Match sets, if any. A malformed
   * If-Match is a 400, but only for the caller's own existing task: a missing or foreign one is
   * 404 whatever the headers say.
   */
  async function guardedTask(ctx: Context): Promise<OwnTask & { condition?: VersionCondition }> {
    const target = ownTask(ctx);
    try {
      // Present but empty is not absent: a client that meant a condition gets a 400, not a
      // write without one.
      const condition = ifMatchCondition(ctx.headers['if-match']);
      return condition ? { ...target, condition } : target;
    } catch (error) {
      await useCases.getTask.execute(target);
      throw error;
    }
  }

  return router;
}

const ownListOnly: Middleware = async (ctx, next) => {
  ctx.state.list = ownTaskList(currentUser(ctx).id, String(ctx.params.userId));
  await next();
};

function ownList(ctx: Context): OwnTaskList {
  return ctx.state.list as OwnTaskList;
}

function ownTask(ctx: Context): OwnTask {
  return { list: ownList(ctx), taskId: ctx.state.taskId as OwnTask['taskId'] };
}

/**
 * A header that must be sent at most once: Node joins repeated ones with ", ", which would read
 * as one odd value. Undefined when absent.
 */
function singleHeader(ctx: Context, name: string): string | undefined {
  const raw = ctx.req.rawHeaders;
  const key = name.toLowerCase();
  const values = raw.filter((_, i) => i % 2 === 1 && raw[i - 1]?.toLowerCase() === key);
  if (values.length > 1) {
    throw new HttpProblem(problem('repeated-header', `Send ${name} once per request.`));
  }
  return values[0];
}

/** An answer that carries one task: its JSON and its ETag. */
function sendTask(ctx: Context, task: TaskView): void {
  ctx.set('ETag', etagOf(task));
  ctx.body = task;
}
