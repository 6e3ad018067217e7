import { z } from 'zod';
import {
  MAX_TOKEN_BYTES,
  MAX_USER_ID_LENGTH,
  type AuthenticatedUser,
} from '../../../application/auth/authenticated-user.js';
import {
  MAX_CURSOR_LENGTH,
  MAX_SYNC_TOKEN_LENGTH,
  type TaskPage,
  type TaskSyncPage,
  type TaskView,
} from '../../../application/tasks/task.view.js';
import { PRIORITIES } from '../../../domain/task/priority.js';
import { RECURRENCES } from '../../../domain/task/recurrence.js';
import { DESCRIPTION_MAX_LENGTH, TITLE_MAX_LENGTH } from '../../../domain/task/task-rules.js';
import { MAX_TAGS, TAG_MAX_LENGTH } from '../../../domain/task/task-tags.js';
import { PROBLEM_DETAIL_MAX_LENGTH } from '../problem.js';
import { PROBLEMS } from '../problem-types.js';
import { MAX_BODY_BYTES } from '../request-body.js';
import { MAX_PAGE_SIZE, SYNC_LIMIT } from '../tasks/tasks.schemas.js';

/** What the API answers, as zod schemas: the OpenAPI document's response bodies. */

// Instants as toISOString writes them (years 0001–9999), ids as lower-case UUIDs.
const instant = (description: string) =>
  z.iso.datetime().meta({ description, example: '2026-12-01T09:00:00.000Z', maxLength: 24 });
const uuid = () => z.guid().meta({ maxLength: 36 });
const TASK_ID_EXAMPLE = '0b7e5f4e-3c1a-4d2b-9f6e-8a1c2d3e4f50';
/** 32-bit integers, as the database stores them. */
const int32 = () => z.int32().meta({ format: 'int32' });

export const taskResponse = z
  .object({
    id: uuid().meta({ description: 'The task id, a lower-case UUID.', example: TASK_ID_EXAMPLE }),
    userId: z.string().max(MAX_USER_ID_LENGTH).meta({
      description: 'The owner: the user id of the token that created it (its `sub`).',
      example: 'kZ3pQ8vN2mX7rT4wY6bH1cJ5dL9fG0sA',
    }),
    title: z
      .string()
      .min(1)
      .max(TITLE_MAX_LENGTH)
      .meta({ description: 'Trimmed, 1–200 characters.', example: 'Pay rent' }),
    description: z
      .string()
      .max(DESCRIPTION_MAX_LENGTH)
      .nullable()
      .meta({ description: 'At most 1000 characters, or null.', example: 'Before the 5th' }),
    completed: z.boolean(),
    priority: z.enum(PRIORITIES),
    tags: z
      .array(z.string().min(1).max(TAG_MAX_LENGTH))
      .max(MAX_TAGS)
      .meta({ description: 'Lower-cased, without duplicates.', example: ['home', 'bills'] }),
    dueAt: instant('When the task is due; null when it has no due date.').nullable(),
    recurrence: z.enum(RECURRENCES).nullable().meta({
      description:
        'How often the task comes back: completing it creates the next occurrence, due one period later.',
    }),
    completedAt: instant('When the task was completed; null while it is pending.').nullable(),
    nextOccurrenceId: uuid().nullable().meta({
      description: 'The occurrence created when this recurring task was completed.',
    }),
    createdAt: instant('When the task was created.'),
    updatedAt: instant('When the task last changed.'),
    version: int32().min(1).meta({
      description: '1 when created, one more on every change; the ETag is this number in quotes.',
      example: 3,
    }),
  })
  .meta({ id: 'Task', description: 'A task, as every answer that carries one shows it.' });

export const taskPageResponse = z
  .object({
    items: z.array(taskResponse).max(MAX_PAGE_SIZE),
    nextCursor: z.string().max(MAX_CURSOR_LENGTH).nullable().meta({
      description:
        'Pass back as `cursor` (with the same filters and sort) for the next page; null on the last page.',
    }),
  })
  .meta({ id: 'TaskPage', description: 'One page of a task list.' });

export const taskChangesResponse = z
  .object({
    changes: z
      .array(
        z.union([
          z.strictObject({ task: taskResponse }).meta({
            description: 'The task was created or changed: this is it now.',
          }),
          z.strictObject({ deleted: uuid() }).meta({
            description: 'The task with this id was deleted (or never reached your copy).',
            example: { deleted: TASK_ID_EXAMPLE },
          }),
        ]),
      )
      .max(SYNC_LIMIT.max),
    next: z.string().max(MAX_SYNC_TOKEN_LENGTH).meta({
      description:
        'Pass back as `since` to continue: at once when `more` is true, later to get what changed since.',
    }),
    more: z.boolean().meta({ description: 'More changes wait: call again with `next` now.' }),
  })
  .meta({
    id: 'TaskChanges',
    description:
      'One page of what changed in the caller’s tasks, oldest first, each task at most once, as it is now.',
  });

export const meResponse = z
  .object({
    id: z
      .string()
      .max(MAX_USER_ID_LENGTH)
      .meta({ description: "The token's `sub`: the user id in task URLs." }),
    // Claims of a token that is at most MAX_TOKEN_BYTES long.
    email: z.string().max(MAX_TOKEN_BYTES).nullable(),
    name: z.string().max(MAX_TOKEN_BYTES).nullable(),
  })
  .meta({ id: 'Me', description: 'Who the token says the caller is.' });

export const healthResponse = z.object({ status: z.literal('ok') }).meta({ id: 'Health' });
export const readyResponse = z.object({ status: z.literal('ready') }).meta({ id: 'Ready' });

/** RFC 9457 problem details; extension members may follow. */
export const problemResponse = z
  .looseObject({
    type: z
      .string()
      .max(longest(Object.keys(PROBLEMS).map((slug) => `/problems/${slug}`)))
      .meta({
        description: 'A URI reference naming the kind of problem.',
        example: '/problems/not-found',
      }),
    title: z
      .string()
      .max(longest(Object.values(PROBLEMS).map(({ title }) => title)))
      .meta({ description: 'The kind of problem, in words.' }),
    status: int32().min(400).max(599),
    detail: z
      .string()
      .max(PROBLEM_DETAIL_MAX_LENGTH)
      .meta({ description: 'What went wrong and what to do about it.' }),
    requestId: z
      .string()
      .max(64)
      .optional()
      .meta({ description: 'On a 500: the id to quote, the same as in X-Request-Id and the log.' }),
    limit: int32()
      .optional()
      .meta({ description: 'On task-limit-reached: the most tasks one user may keep.' }),
  })
  .meta({ id: 'Problem', description: 'An RFC 9457 problem (application/problem+json).' });

export const validationProblemResponse = problemResponse
  .extend({
    type: z.literal('/problems/validation-error'),
    status: z.literal(422),
    errors: z
      .array(
        z.object({
          // A field the body or the query names: no longer than the body (or the URL) holding it.
          field: z.string().max(MAX_BODY_BYTES).meta({
            description: 'Where the value was: a body field (`title`) or `query.` and a parameter.',
            example: 'title',
          }),
          detail: z.string().max(PROBLEM_DETAIL_MAX_LENGTH).meta({ example: 'must not be empty' }),
        }),
      )
      .min(1)
      // One per field named, and each name takes at least a byte of the body.
      .max(MAX_BODY_BYTES),
  })
  .meta({ id: 'ValidationProblem', description: 'A 422 naming every field that failed.' });

function longest(texts: readonly string[]): number {
  return Math.max(...texts.map((text) => text.length));
}

// Compile-time checks: a field added to the task, its page or the caller, and not described
// here, fails to compile.
sameShape<z.output<typeof taskResponse>, Writable<TaskView>>(true);
sameShape<z.output<typeof taskPageResponse>, Writable<TaskPage>>(true);
sameShape<z.output<typeof taskChangesResponse>, Writable<TaskSyncPage>>(true);
sameShape<z.output<typeof meResponse>, Pick<AuthenticatedUser, 'id' | 'email' | 'name'>>(true);

/** zod builds mutable arrays and objects; the views are read-only. */
type Writable<T> = T extends readonly (infer I)[]
  ? Writable<I>[]
  : T extends object
    ? { -readonly [K in keyof T]: Writable<T[K]> }
    : T;

function sameShape<A, B>(_proof: [A] extends [B] ? ([B] extends [A] ? true : never) : never) {}
