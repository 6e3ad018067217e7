import type { Context } from 'koa';
import { z } from 'zod';
import { MAX_USER_ID_LENGTH } from '../../../application/auth/authenticated-user.js';
import {
  ownTaskList,
  taskIdOrNotFound,
  type OwnTask,
  type OwnTaskList,
} from '../../../application/tasks/own-task-list.js';
import type { TaskView } from '../../../application/tasks/task.view.js';
import type { VersionCondition } from '../../../application/tasks/version-condition.js';
import type { UseCases } from '../../../application/use-cases.js';
import { currentToken, currentUser } from '../middleware/authenticate.js';
import { JSON_BODY } from '../middleware/json-body.js';
import { responseHeaders as h } from '../openapi/http-headers.schemas.js';
import {
  taskChangesResponse,
  taskPageResponse,
  taskResponse,
} from '../openapi/response.schemas.js';
import { defineOperation, json, type Step } from '../operation.js';
import { HttpProblem, problem } from '../problem.js';
import { etagOf, ifMatchCondition, noneMatch } from './entity-tags.js';
import { openEventStream } from './event-streams.js';
import { fingerprintOf, idempotencyKeyOf } from './idempotency-key.js';
import {
  createTaskBody,
  listTasksQuery,
  replaceTaskBody,
  syncTasksQuery,
  updateTaskBody,
  watchTasksQuery,
} from './tasks.schemas.js';

/**
 * The caller's own list, or 404: the list is settled once, before the body or the query is
 * validated, so another user's path answers the same whatever else is wrong with the request.
 */
const OWN_LIST: Step = {
  run: async (ctx, next) => {
    ctx.state.list = ownTaskList(currentUser(ctx).id, String(ctx.params.userId));
    await next();
  },
  path: {
    userId: z.string().max(MAX_USER_ID_LENGTH).meta({
      description: "The caller's user id (the token's `sub`); any other is 404.",
      example: 'kZ3pQ8vN2mX7rT4wY6bH1cJ5dL9fG0sA',
    }),
  },
  problems: () => [
    [
      'not-found',
      '`{userId}` is not the caller, or the task is missing, someone else’s, or its id is not a UUID: one identical answer for all.',
    ],
  ],
};

/** A task id that names no task (not a UUID) is 404, like a missing task. */
const TASK_ID: Step = {
  run: async (ctx, next) => {
    ctx.state.taskId = taskIdOrNotFound(String(ctx.params.taskId));
    await next();
  },
  path: {
    taskId: z.guid().meta({
      description: 'The task id; anything but a UUID names no task (404).',
      example: '0b7e5f4e-3c1a-4d2b-9f6e-8a1c2d3e4f50',
      maxLength: 36,
    }),
  },
};

/** Idempotency-Key, once at most and well formed, read before the body is validated. */
const IDEMPOTENCY_KEY: Step = {
  run: async (ctx, next) => {
    ctx.state.idempotencyKey = idempotencyKeyOf(singleHeader(ctx, 'Idempotency-Key'));
    await next();
  },
  headers: ['Idempotency-Key'],
  problems: () => [
    'invalid-idempotency-key',
    ['repeated-header', '`Idempotency-Key` was sent twice.'],
  ],
};

/** Every task operation: the caller's own list, its body (if any) read as JSON. */
const LIST: readonly Step[] = [OWN_LIST, JSON_BODY];
/** Every operation on one task. */
const TASK: readonly Step[] = [...LIST, TASK_ID];

const TASK_ANSWER = { ETag: h.ETag };
const IF_MATCH_PROBLEMS = [
  ['malformed-precondition', '`If-Match` is not `*` or a list of ETags.'],
  'precondition-failed',
] as const;
const COMPLETES = 'Completing a recurring task creates its next occurrence.';
const WRITE_CONFLICTS = [
  'write-conflict',
  [
    'task-limit-reached',
    'completing a recurring task would create its next occurrence past `MAX_TASKS_PER_USER`.',
  ],
] as const;

/** The task API under /api/{userId}/tasks, behind the token. */
export const TASK_ROUTES = [
  defineOperation({
    method: 'get',
    path: '/api/{userId}/tasks',
    operationId: 'listTasks',
    summary: 'List tasks',
    description:
      'One page of the caller’s tasks, filtered and sorted; walk the pages with `nextCursor`. Unknown parameters are ignored.',
    tag: 'Tasks',
    access: 'token',
    before: LIST,
    query: listTasksQuery,
    answers: { 200: json('A page of tasks.', taskPageResponse) },
    problems: [
      [
        'validation-error',
        'a query parameter (`query.<name>`) or the cursor is not valid; `errors` names each one.',
      ],
    ],
    handle: async ({ ctx, query: { priority, tag, q, cursor, ...query }, useCases }) => {
      ctx.body = await useCases.listTasks.execute({
        list: ownList(ctx),
        ...query,
        priorities: priority,
        tags: tag,
        text: q,
        cursor: cursor ?? null,
      });
    },
  }),
  defineOperation({
    method: 'post',
    path: '/api/{userId}/tasks',
    operationId: 'createTask',
    summary: 'Create a task',
    description:
      'Fields left out take their defaults (`priority` medium, no tags, no due date, no recurrence). Send an `Idempotency-Key` to make a retry safe.',
    tag: 'Tasks',
    access: 'token',
    before: [...LIST, IDEMPOTENCY_KEY],
    body: createTaskBody,
    answers: {
      201: json('The new task (or, replayed, the one the key created first).', taskResponse, {
        Location: h.Location,
        ...TASK_ANSWER,
        'Idempotent-Replayed': h['Idempotent-Replayed'],
      }),
    },
    problems: [
      [
        'validation-error',
        'a field is not valid or is set by the server; `errors` names each one.',
      ],
      'idempotency-key-reused',
      'task-limit-reached',
      'idempotency-key-in-use',
    ],
    handle: async ({ ctx, body, useCases }) => {
      const key = ctx.state.idempotencyKey as string | undefined;
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
    },
  }),
  // Before /tasks/{taskId}, which would otherwise take `changes` for a task id.
  defineOperation({
    method: 'get',
    path: '/api/{userId}/tasks/changes',
    operationId: 'syncTasks',
    summary: 'What changed since a sync token',
    description:
      'The caller’s changes after `since`, oldest first (the order they were made in), each task at most once per page in its latest state; a deleted task as `{ "deleted": id }`. Without `since`: every current task, paged the same way. Call again with `next` while `more` is true; keep the last `next` to ask later what changed since. A token lasts `CHANGE_RETENTION_DAYS` (default 30).',
    tag: 'Tasks',
    access: 'token',
    before: LIST,
    query: syncTasksQuery,
    answers: {
      200: json('A page of changes, and the token to continue from.', taskChangesResponse),
    },
    problems: [
      [
        'validation-error',
        '`limit` is not valid, or `since` is not a token this API returned for the caller (another user’s is refused); `errors` names it.',
      ],
      'sync-expired',
    ],
    handle: async ({ ctx, query: { since, limit }, useCases }) => {
      ctx.body = await useCases.syncTasks.execute({
        list: ownList(ctx),
        since: since ?? null,
        limit,
      });
    },
  }),
  // Before /tasks/{taskId}, which would otherwise take `events` for a task id.
  defineOperation({
    method: 'get',
    path: '/api/{userId}/tasks/events',
    operationId: 'watchTasks',
    summary: 'Live changes (Server-Sent Events)',
    description: [
      'The caller’s task changes as they are made, on any instance, as `text/event-stream` (send `Accept: text/event-stream` and the usual `Authorization: Bearer` header; never a token in the URL). Events:',
      '',
      '- `ready`: the stream is live; its `id` is where it starts.',
      '- `task`: data is the task as it is now (created or changed); `id` is the sync token after this change.',
      '- `deleted`: data is `{"id": "<taskId>"}`; `id` as for `task`.',
      '- `resync`: the stream cannot resume from `Last-Event-ID`/`since` (too old), or the reader fell more than 1 MiB behind: sync from scratch with GET /tasks/changes, then open a new stream. The stream ends.',
      '- `reauth`: the token expired; reconnect with a fresh one (`Last-Event-ID` resumes). The stream ends.',
      '- `revoked`: the token’s session ended (sign-out); the stream ends within 2 s of it.',
      '',
      'A comment (`: keep-alive`) comes after 15 s without an event. On shutdown the stream sends a `retry:` hint and ends: reconnect with `Last-Event-ID` (another instance takes it). Delivery is at least once, in the order the changes were made; an event may repeat after a reconnect. At most `MAX_EVENT_STREAMS_PER_USER` streams per user and instance (429).',
    ].join('\n'),
    tag: 'Tasks',
    access: 'token',
    before: LIST,
    headers: ['Last-Event-ID'],
    query: watchTasksQuery,
    answers: {
      200: {
        description:
          'The event stream (`Cache-Control: no-store`, `X-Accel-Buffering: no`, never compressed).',
        content: {
          'text/event-stream': {
            schema: z.string().meta({
              description:
                'Server-Sent Events: `ready`, `task`, `deleted`, `resync`, `reauth`, `revoked`.',
              example:
                'retry: 1000\nevent: ready\nid: eyJ2IjoxLCJvIjoiM2Y…\ndata: {}\n\nevent: task\nid: eyJ2IjoxLCJvIjoiM2Y…\ndata: {"id":"0b7e5f4e-3c1a-4d2b-9f6e-8a1c2d3e4f50","title":"Buy milk",…}\n\n',
            }),
          },
        },
      },
    },
    problems: [
      [
        'validation-error',
        '`Last-Event-ID` or `since` is not a token this API returned for the caller (another user’s is refused); `errors` names it.',
      ],
      'too-many-event-streams',
      ['overloaded', 'this instance already holds `MAX_EVENT_STREAMS` event streams.'],
    ],
    handle: async ({ ctx, query: { since }, useCases, eventStreams }) => {
      const lastEventId = ctx.get('Last-Event-ID');
      await openEventStream(ctx, {
        useCases,
        streams: eventStreams,
        list: ownList(ctx),
        since: lastEventId === '' ? (since ?? null) : lastEventId,
        token: currentToken(ctx),
      });
    },
  }),
  defineOperation({
    method: 'get',
    path: '/api/{userId}/tasks/{taskId}',
    operationId: 'getTask',
    summary: 'Read a task',
    tag: 'Tasks',
    access: 'token',
    before: TASK,
    headers: ['If-None-Match'],
    answers: {
      200: json('The task.', taskResponse, TASK_ANSWER),
      304: {
        description: '`If-None-Match` names the current version: what you have is current.',
        headers: TASK_ANSWER,
      },
    },
    problems: [['malformed-precondition', '`If-None-Match` is not `*` or a list of ETags.']],
    handle: async ({ ctx, useCases }) => {
      const task = await useCases.getTask.execute(ownTask(ctx));
      if (noneMatch(ctx.headers['if-none-match'], task)) return sendTask(ctx, task);
      ctx.status = 304;
      ctx.set('ETag', etagOf(task));
    },
  }),
  defineOperation({
    method: 'put',
    path: '/api/{userId}/tasks/{taskId}',
    operationId: 'replaceTask',
    summary: 'Replace a task',
    description: `\`title\`, \`description\` and \`completed\` are required; \`priority\`, \`tags\`, \`dueAt\` and \`recurrence\` reset to their defaults when left out. ${COMPLETES}`,
    tag: 'Tasks',
    access: 'token',
    before: TASK,
    headers: ['If-Match'],
    body: replaceTaskBody,
    answers: { 200: json('The task as replaced.', taskResponse, TASK_ANSWER) },
    problems: [
      [
        'validation-error',
        'a field is not valid, is missing or is set by the server; `errors` names each one.',
      ],
      ...IF_MATCH_PROBLEMS,
      ...WRITE_CONFLICTS,
    ],
    handle: async ({ ctx, body: changes, useCases }) => {
      const target = await guardedTask(ctx, useCases);
      sendTask(ctx, await useCases.updateTask.execute({ ...target, changes }));
    },
  }),
  defineOperation({
    method: 'patch',
    path: '/api/{userId}/tasks/{taskId}',
    operationId: 'updateTask',
    summary: 'Change some fields of a task',
    description: `Only the fields sent change. ${COMPLETES}`,
    tag: 'Tasks',
    access: 'token',
    before: TASK,
    headers: ['If-Match'],
    body: updateTaskBody,
    answers: { 200: json('The task as changed.', taskResponse, TASK_ANSWER) },
    problems: [
      [
        'validation-error',
        'a field is not valid or is set by the server; `errors` names each one.',
      ],
      ...IF_MATCH_PROBLEMS,
      ...WRITE_CONFLICTS,
    ],
    handle: async ({ ctx, body: changes, useCases }) => {
      const target = await guardedTask(ctx, useCases);
      sendTask(ctx, await useCases.updateTask.execute({ ...target, changes }));
    },
  }),
  defineOperation({
    method: 'delete',
    path: '/api/{userId}/tasks/{taskId}',
    operationId: 'deleteTask',
    summary: 'Delete a task',
    tag: 'Tasks',
    access: 'token',
    before: TASK,
    headers: ['If-Match'],
    answers: { 204: { description: 'Deleted.' } },
    problems: IF_MATCH_PROBLEMS,
    handle: async ({ ctx, useCases }) => {
      await useCases.deleteTask.execute(await guardedTask(ctx, useCases));
      ctx.status = 204;
    },
  }),
  defineOperation({
    method: 'patch',
    path: '/api/{userId}/tasks/{taskId}/complete',
    operationId: 'toggleTaskCompletion',
    summary: 'Toggle completed',
    description: `Completes a pending task, or reopens a completed one. ${COMPLETES}`,
    tag: 'Tasks',
    access: 'token',
    before: TASK,
    headers: ['If-Match'],
    answers: { 200: json('The task, `completed` toggled.', taskResponse, TASK_ANSWER) },
    problems: [...IF_MATCH_PROBLEMS, ...WRITE_CONFLICTS],
    handle: async ({ ctx, useCases }) => {
      sendTask(ctx, await useCases.toggleTaskCompletion.execute(await guardedTask(ctx, useCases)));
    },
  }),
];

/**
 * The task a write names, with the version condition its If-Match sets, if any. A malformed
 * If-Match is a 400, but only for the caller's own existing task: a missing or foreign one is
 * 404 whatever the headers say.
 */
async function guardedTask(
  ctx: Context,
  useCases: UseCases,
): Promise<OwnTask & { condition?: VersionCondition }> {
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
