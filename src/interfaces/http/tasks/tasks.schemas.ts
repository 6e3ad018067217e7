import { z } from 'zod';
import type { TaskView } from '../../../application/tasks/task.view.js';
import type { EditableTaskField, TaskChanges } from '../../../domain/task/task.js';
import { descriptionProblem, titleProblem } from '../../../domain/task/task-rules.js';

const required = (kind: string) => (issue: { input: unknown }) =>
  issue.input === undefined ? 'is required' : `must be ${kind}`;

/** Adds the domain's rule for a text field as a zod check, so both stay one rule. */
const rule = (check: (value: string) => string | null) => (value: string, ctx: z.RefinementCtx) => {
  const message = check(value);
  if (message) ctx.addIssue({ code: 'custom', message });
};

const title = z
  .string({ error: required('a string') })
  .trim()
  .superRefine(rule(titleProblem));
const description = z
  .string({ error: required('a string or null') })
  .superRefine(rule(descriptionProblem))
  .nullable();
const completed = z.boolean({ error: required('true or false') });

const body = <T extends z.ZodRawShape>(shape: T) =>
  z.strictObject(shape, {
    error: (issue) =>
      issue.input === undefined ? 'is required: send a JSON object' : 'must be a JSON object',
  });

/** POST /api/{user_id}/tasks */
export const createTaskBody = body({ title, description: description.optional() });

/** PUT /api/{user_id}/tasks/{id}: replaces all three fields. */
export const replaceTaskBody = body({ title, description, completed });

/** PATCH /api/{user_id}/tasks/{id}: any subset. */
export const updateTaskBody = body({
  title: title.optional(),
  description: description.optional(),
  completed: completed.optional(),
});

/** GET /api/{user_id}/tasks query string; unknown parameters are ignored. */
export const listTasksQuery = z.object({
  status: z
    .enum(['all', 'pending', 'completed'], { error: 'must be one of all, pending, completed' })
    .default('all'),
  sort: z
    .enum(['createdAt', 'updatedAt', 'title'], {
      error: 'must be one of createdAt, updatedAt, title',
    })
    .default('createdAt'),
  order: z.enum(['asc', 'desc'], { error: 'must be asc or desc' }).default('desc'),
  // Digits only: no 1e1, 0x10, +5 or 2.0, which a number parser would let through.
  limit: z
    .string({ error: 'must be given once, as a whole number from 1 to 100' })
    .regex(/^(100|[1-9][0-9]?)$/, 'must be a whole number from 1 to 100')
    .transform(Number)
    .default(50),
  cursor: z.string({ error: 'must be given once' }).min(1, 'must not be empty').optional(),
});

/** Fields of a task that only the server sets: a body that sends one is told to leave it out. */
export const SERVER_OWNED_FIELDS = ['id', 'userId', 'createdAt', 'updatedAt', 'version'] as const;

// Compile-time checks against the one task shape: the bodies accept exactly the fields the
// domain lets a caller edit, and every field of the view is either editable or server-owned.
sameShape<z.output<typeof replaceTaskBody>, Required<TaskChanges>>(true);
sameShape<z.output<typeof updateTaskBody>, TaskChanges>(true);
sameShape<z.output<typeof createTaskBody>, Omit<TaskChanges, 'completed'> & { title: string }>(
  true,
);
sameShape<keyof TaskView, EditableTaskField | (typeof SERVER_OWNED_FIELDS)[number]>(true);

function sameShape<A, B>(_proof: [A] extends [B] ? ([B] extends [A] ? true : never) : never) {}

export type CreateTaskBody = z.infer<typeof createTaskBody>;
export type ReplaceTaskBody = z.infer<typeof replaceTaskBody>;
export type UpdateTaskBody = z.infer<typeof updateTaskBody>;
/** The list query as a caller writes it: every parameter optional. */
export type ListTasksQuery = Partial<z.output<typeof listTasksQuery>>;
