import { z } from 'zod';
import {
  MAX_CURSOR_LENGTH,
  MAX_SYNC_TOKEN_LENGTH,
  viewNameOf,
} from '../../../application/tasks/task.view.js';
import { PRIORITIES } from '../../../domain/task/priority.js';
import { RECURRENCES } from '../../../domain/task/recurrence.js';
import type { TaskChanges } from '../../../domain/task/task.js';
import {
  TASK_DEFAULTS,
  TASK_FIELD_NAMES,
  TASK_FIELDS,
  type EditableTaskField,
} from '../../../domain/task/task-fields.js';
import { TASK_SORT_FIELDS } from '../../../domain/task/task-repository.port.js';
import {
  DESCRIPTION_MAX_LENGTH,
  descriptionProblem,
  dueAtProblem,
  TITLE_MAX_LENGTH,
  titleProblem,
} from '../../../domain/task/task-rules.js';
import {
  MAX_TAGS,
  normalizeTag,
  TAG_MAX_LENGTH,
  tagProblem,
} from '../../../domain/task/task-tags.js';
import { firstControlCharacter } from '../../../domain/shared/unsafe-characters.js';

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
  .superRefine(rule(titleProblem))
  .meta({
    description: 'Trimmed, then 1–200 characters with something visible.',
    example: 'Pay rent',
    maxLength: TITLE_MAX_LENGTH,
  });
const description = z
  .string({ error: required('a string or null') })
  .superRefine(rule(descriptionProblem))
  .nullable()
  .meta({
    description: 'At most 1000 characters; line breaks and tabs allowed.',
    example: 'Before the 5th',
    maxLength: DESCRIPTION_MAX_LENGTH,
  });
const completed = z.boolean({ error: required('true or false') });
const oneOf = (values: readonly string[]) =>
  values.length === 2 ? `${values[0]} or ${values[1]}` : `one of ${values.join(', ')}`;
const priority = z
  .enum(PRIORITIES, { error: `must be ${oneOf(PRIORITIES)}` })
  .meta({ example: 'high' });
const tag = z
  .string({ error: 'must be a string' })
  .transform(normalizeTag)
  .superRefine(rule(tagProblem))
  .meta({
    description: '1–32 letters, digits, "-" or "_"; stored lower-cased.',
    example: 'home',
    maxLength: TAG_MAX_LENGTH,
  });
const tags = z
  .array(tag, { error: required('an array of strings') })
  .max(MAX_TAGS, `must have at most ${MAX_TAGS} tags`)
  .meta({ description: 'Duplicates are merged.', example: ['home', 'bills'] });

/**
 * The longest date-time taken: seconds to the nanosecond and an offset
 * (`2026-12-01T09:00:00.123456789+01:00`); a finer fraction is rounded to the millisecond anyway.
 */
const DATE_TIME_MAX_LENGTH = 35;

/** RFC 3339 with an offset (Z or ±hh:mm), as an instant; the calendar date must exist. */
const RFC_3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const DATE_TIME_HINT = 'an RFC 3339 date-time with an offset, such as 2026-12-01T09:00:00Z';
function instantProblem(text: string): string | null {
  if (text.length > DATE_TIME_MAX_LENGTH) {
    return `must be ${DATE_TIME_HINT}, at most ${DATE_TIME_MAX_LENGTH} characters (nanoseconds at the finest)`;
  }
  const match = RFC_3339.exec(text);
  if (!match) {
    // A "+" in a query string arrives as a space.
    const plusAsSpace =
      / \d{2}:\d{2}$/.test(text) && RFC_3339.test(text.replace(/ (?=\d{2}:\d{2}$)/, '+'));
    return plusAsSpace
      ? `must be ${DATE_TIME_HINT}; write the "+" of an offset as %2B in a URL`
      : `must be ${DATE_TIME_HINT}`;
  }
  const [, year, month, day, hour, minute, second] = match.map(Number);
  const calendar = new Date(0);
  // setUTCFullYear, not Date.UTC, which reads the years 0–99 as 1900–1999.
  calendar.setUTCFullYear(year!, month! - 1, day!);
  calendar.setUTCHours(hour!, minute!, second!);
  if (
    calendar.getUTCFullYear() !== year! ||
    calendar.getUTCMonth() !== month! - 1 ||
    calendar.getUTCDate() !== day! ||
    calendar.getUTCHours() !== hour! ||
    calendar.getUTCMinutes() !== minute! ||
    calendar.getUTCSeconds() !== second!
  )
    return `must be a date and time that exist: ${DATE_TIME_HINT}`;
  const offset = match[8] ?? '';
  const [, hours, minutes] = /^[+-](\d{2}):(\d{2})$/.exec(offset) ?? [];
  if (Number(hours) > 23 || Number(minutes) > 59)
    return `must have an offset between -23:59 and +23:59, not ${offset}`;
  return dueAtProblem(new Date(text));
}
const instant = (error: (issue: { input: unknown }) => string) =>
  z
    .string({ error })
    .superRefine(rule(instantProblem))
    .transform((text) => new Date(text))
    .meta({
      format: 'date-time',
      example: '2026-12-01T09:00:00Z',
      maxLength: DATE_TIME_MAX_LENGTH,
    });
const dueAt = instant(required(`${DATE_TIME_HINT}, or null`))
  .nullable()
  .meta({ description: 'When the task is due (RFC 3339 with an offset), or null.' });
const recurrence = z
  .enum(RECURRENCES, { error: `must be null or ${oneOf(RECURRENCES)}` })
  .nullable()
  .meta({ description: 'Needs a `dueAt`: completing the task creates the next occurrence.' });

/**
 * The rule of each field a caller may set, as a request gives it: the one list the bodies of
 * POST, PUT and PATCH are made from.
 */
export const TASK_FIELD_RULES = {
  title,
  description,
  completed,
  priority,
  tags,
  dueAt,
  recurrence,
} satisfies Record<EditableTaskField, z.ZodType>;
type Rules = typeof TASK_FIELD_RULES;
type DefaultedField = keyof typeof TASK_DEFAULTS;

const DEFAULTED_FIELDS = Object.keys(TASK_DEFAULTS) as DefaultedField[];
/** Optional wherever they have a default. */
const WITH_A_DEFAULT = Object.fromEntries(DEFAULTED_FIELDS.map((field) => [field, true])) as {
  [K in DefaultedField]: true;
};

const body = <T extends z.ZodRawShape>(shape: T) =>
  z.strictObject(shape, {
    error: (issue) =>
      issue.input === undefined ? 'is required: send a JSON object' : 'must be a JSON object',
  });

/** POST /api/{user_id}/tasks: a new task is pending, and a field left out takes its default. */
export const createTaskBody = body(TASK_FIELD_RULES)
  .partial(WITH_A_DEFAULT)
  .omit({ completed: true });

/** Fields PUT requires although they have a default: PUT required them before defaults existed. */
const REQUIRED_ON_PUT = ['description', 'completed'] as const satisfies DefaultedField[];
type ResetOnPut = Exclude<DefaultedField, (typeof REQUIRED_ON_PUT)[number]>;

/** The rules of `fields` where a value left out is the field's default. */
function defaulting<K extends DefaultedField>(
  fields: readonly K[],
): { [F in K]: z.ZodDefault<Rules[F]> } {
  return Object.fromEntries(
    fields.map((field) => [
      field,
      (TASK_FIELD_RULES[field] as z.ZodType).default(TASK_DEFAULTS[field]),
    ]),
  ) as { [F in K]: z.ZodDefault<Rules[F]> };
}

/**
 * PUT /api/{user_id}/tasks/{id}: replaces the task. Title, description and completed are
 * required; any other field left out takes its default.
 */
export const replaceTaskBody = body({
  ...TASK_FIELD_RULES,
  ...defaulting(
    DEFAULTED_FIELDS.filter(
      (field): field is ResetOnPut => !(REQUIRED_ON_PUT as readonly string[]).includes(field),
    ),
  ),
});

/** PATCH /api/{user_id}/tasks/{id}: any subset. */
export const updateTaskBody = body(TASK_FIELD_RULES).partial();

/**
 * A query parameter's schema in the document, replacing what zod infers from the text it parses:
 * `limit` is checked as digits, and described as the integer they spell.
 */
const describedAs =
  (schema: Record<string, unknown>) =>
  ({ jsonSchema }: { jsonSchema: Record<string, unknown> }) => {
    const { description } = jsonSchema;
    for (const key of Object.keys(jsonSchema)) delete jsonSchema[key];
    Object.assign(jsonSchema, { description, ...schema });
  };

/** A query parameter that may be repeated (`?tag=a&tag=b`); its errors name the parameter. */
const repeatable = <T extends z.ZodType<unknown, string>>(item: T, most: number, hint: string) =>
  z
    .union([z.string(), z.array(z.string())], { error: hint })
    .transform((value, ctx): z.output<T>[] => {
      const values = Array.isArray(value) ? value : [value];
      if (values.length > most) {
        ctx.addIssue({ code: 'custom', message: `may be given at most ${most} times` });
        return z.NEVER;
      }
      const parsed = values.map((one) => item.safeParse(one));
      const failed = parsed.find((result) => !result.success);
      if (failed?.error) {
        ctx.addIssue({ code: 'custom', message: failed.error.issues[0]?.message ?? hint });
        return z.NEVER;
      }
      return parsed.map((result) => result.data as z.output<T>);
    })
    // Described as what it is on the wire: the parameter repeated, each value an item.
    .meta({
      override: ({ jsonSchema }: { jsonSchema: Record<string, unknown> }) => {
        const { $schema: _, ...items } = z.toJSONSchema(item, { io: 'input' });
        delete jsonSchema.anyOf;
        Object.assign(jsonSchema, { type: 'array', items, maxItems: most });
      },
    });

/** In characters (code points), as JSON Schema's maxLength counts them. */
const SEARCH_MAX_LENGTH = 100;
const searchText = z
  .string({ error: 'must be given once' })
  .min(1, `must be 1 to ${SEARCH_MAX_LENGTH} characters`)
  .refine((q) => [...q].length <= SEARCH_MAX_LENGTH, `must be 1 to ${SEARCH_MAX_LENGTH} characters`)
  .refine((q) => firstControlCharacter(q) === null, 'must not contain control characters');
const queryInstant = instant(() => `must be given once, as ${DATE_TIME_HINT}`);

/** The most tasks one page holds (`limit`). */
export const MAX_PAGE_SIZE = 100;

/** GET /api/{user_id}/tasks query string; unknown parameters are ignored. */
export const listTasksQuery = z
  .object({
    status: z
      .enum(['all', 'pending', 'completed'], { error: 'must be one of all, pending, completed' })
      .default('all')
      .meta({ description: 'Which tasks: all, only pending or only completed ones.' }),
    sort: z
      .enum(TASK_SORT_FIELDS, { error: `must be ${oneOf(TASK_SORT_FIELDS)}` })
      .default('createdAt')
      .meta({
        description:
          'The order of the tasks; ties by id. With `dueAt`, undated tasks come last either way; `priority` desc puts high first.',
      }),
    order: z.enum(['asc', 'desc'], { error: 'must be asc or desc' }).default('desc'),
    // Digits only: no 1e1, 0x10, +5 or 2.0, which a number parser would let through. The
    // document says what the text stands for, so a generated client sends a number.
    limit: z
      .string({ error: 'must be given once, as a whole number from 1 to 100' })
      .regex(/^(100|[1-9][0-9]?)$/, 'must be a whole number from 1 to 100')
      .transform(Number)
      .default(50)
      .meta({
        description: 'Tasks per page, 1–100 (default 50).',
        override: describedAs({
          type: 'integer',
          format: 'int32',
          minimum: 1,
          maximum: MAX_PAGE_SIZE,
          default: 50,
          example: 20,
        }),
      }),
    cursor: z.string({ error: 'must be given once' }).min(1, 'must not be empty').optional().meta({
      description: "The previous page's `nextCursor`, with the same filters and sort.",
      maxLength: MAX_CURSOR_LENGTH,
    }),
    priority: repeatable(priority, PRIORITIES.length, `must be ${oneOf(PRIORITIES)}`)
      .optional()
      .meta({ description: 'Tasks of any of these priorities (repeat the parameter).' }),
    tag: repeatable(tag, MAX_TAGS, 'must be a tag')
      .optional()
      .meta({ description: 'Tasks carrying all of these tags (repeat the parameter).' }),
    q: searchText.optional().meta({
      description: 'A case-insensitive substring of the title or the description.',
      maxLength: SEARCH_MAX_LENGTH,
    }),
    dueAfter: queryInstant
      .optional()
      .meta({ description: 'Due at or after this instant; undated tasks are left out.' }),
    dueBefore: queryInstant
      .optional()
      .meta({ description: 'Due before this instant (later than `dueAfter`).' }),
    overdue: z
      .enum(['true', 'false'], { error: 'must be true or false' })
      .transform((value) => value === 'true')
      .optional()
      .meta({
        description: 'true: pending tasks due before now.',
        override: describedAs({ type: 'boolean' }),
      }),
  })
  .superRefine((query, ctx) => {
    if (query.dueAfter && query.dueBefore && query.dueBefore <= query.dueAfter)
      ctx.addIssue({ code: 'custom', path: ['dueBefore'], message: 'must be later than dueAfter' });
  });

/** Changes per page of a sync: at most, and when `limit` is not given. */
export const SYNC_LIMIT = { max: 500, default: 100 } as const;

/** GET /api/{user_id}/tasks/changes query string; unknown parameters are ignored. */
export const syncTasksQuery = z.object({
  since: z.string({ error: 'must be given once' }).min(1, 'must not be empty').optional().meta({
    description:
      'The `next` of an earlier answer: the changes after it. Left out: every current task (a full sync).',
    maxLength: MAX_SYNC_TOKEN_LENGTH,
  }),
  limit: z
    .string({ error: `must be given once, as a whole number from 1 to ${SYNC_LIMIT.max}` })
    .regex(/^[1-9][0-9]{0,2}$/, `must be a whole number from 1 to ${SYNC_LIMIT.max}`)
    .transform(Number)
    .refine((n) => n <= SYNC_LIMIT.max, `must be a whole number from 1 to ${SYNC_LIMIT.max}`)
    .default(SYNC_LIMIT.default)
    .meta({
      description: `Changes per page, 1–${SYNC_LIMIT.max} (default ${SYNC_LIMIT.default}).`,
      override: describedAs({
        type: 'integer',
        format: 'int32',
        minimum: 1,
        maximum: SYNC_LIMIT.max,
        default: SYNC_LIMIT.default,
        example: 100,
      }),
    }),
});

/** Fields of a task that only the server sets: a body that sends one is told to leave it out. */
export const SERVER_OWNED_FIELDS: readonly string[] = TASK_FIELD_NAMES.filter(
  (field) => TASK_FIELDS[field].owner === 'server',
).map(viewNameOf);

// Compile-time checks against the one task shape: the bodies accept exactly the fields the
// domain lets a caller edit, each as the snapshot types it.
sameShape<z.output<typeof replaceTaskBody>, Writable<Required<TaskChanges>>>(true);
sameShape<z.output<typeof updateTaskBody>, Writable<TaskChanges>>(true);
sameShape<
  z.output<typeof createTaskBody>,
  Writable<Omit<TaskChanges, 'completed'>> & { title: string }
>(true);

/** Arrays as zod builds them: the snapshot's are read-only. */
type Writable<T> = { [K in keyof T]: WritableArray<T[K]> };
type WritableArray<V> = V extends readonly (infer I)[] ? I[] : V;

function sameShape<A, B>(_proof: [A] extends [B] ? ([B] extends [A] ? true : never) : never) {}

/** The bodies as a caller writes them: instants as RFC 3339 strings, defaults left out. */
export type CreateTaskBody = z.input<typeof createTaskBody>;
export type ReplaceTaskBody = z.input<typeof replaceTaskBody>;
export type UpdateTaskBody = z.input<typeof updateTaskBody>;
/**
 * The list query as a caller writes it: every parameter optional; instants as RFC 3339 strings,
 * repeatable parameters as arrays.
 */
export type ListTasksQuery = {
  readonly [K in keyof z.output<typeof listTasksQuery>]?: QueryValue<
    z.output<typeof listTasksQuery>[K]
  >;
};
type QueryValue<T> = T extends Date | undefined
  ? string
  : T extends (infer I)[] | undefined
    ? readonly I[]
    : T;

/** GET /api/{user_id}/tasks/events query string; unknown parameters are ignored. */
export const watchTasksQuery = z.object({
  since: z.string({ error: 'must be given once' }).min(1, 'must not be empty').optional().meta({
    description:
      'A sync token (an event `id`, or the `next` of GET /tasks/changes): the stream starts with every change after it. `Last-Event-ID`, when sent, takes precedence. Left out: changes from now on.',
    maxLength: MAX_SYNC_TOKEN_LENGTH,
  }),
});
