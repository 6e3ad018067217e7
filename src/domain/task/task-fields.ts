import { DEFAULT_PRIORITY, type Priority } from './priority.js';
import type { Recurrence } from './recurrence.js';
import { descriptionProblem, dueAtProblem, titleProblem } from './task-rules.js';
import { MAX_TAGS, normalizeTag, normalizeTags, tagProblem } from './task-tags.js';

/**
 * Every field of a task, once, in the order a person reads them (what the task is, how it is
 * organized, when): its type, who sets it, its default and its rules. The snapshot type, the
 * defaults, the editable fields, the entity's validation and the view follow from this table;
 * the HTTP schemas and the table's columns are records keyed by it.
 */
export const TASK_FIELDS = {
  id: serverOwned<string>(),
  ownerId: serverOwned<string>(),
  title: required<string>({ normalize: (title) => title.trim(), problem: titleProblem }),
  description: editable<string | null>(null, { problem: descriptionProblem }),
  completed: editable<boolean>(false),
  priority: editable<Priority>(DEFAULT_PRIORITY),
  /** Normalized (NFKC, lower-cased, trimmed), without duplicates, at most MAX_TAGS. */
  tags: editable<readonly string[]>(Object.freeze([]), {
    normalize: normalizeTags,
    // Each tag is named by its place in the request, before duplicates merge.
    itemProblem: (tag) => tagProblem(normalizeTag(tag)),
    problem: (tags) =>
      tags.length > MAX_TAGS ? `must be at most ${MAX_TAGS} different tags` : null,
  }),
  dueAt: editable<Date | null>(null, { problem: dueAtProblem }),
  /** A recurring task always has a dueAt: the next occurrence is due one period later. */
  recurrence: editable<Recurrence | null>(null),
  /** When the task became completed; null while pending. */
  completedAt: serverOwned<Date | null>(),
  /** The occurrence created when this recurring task was completed; at most one, ever. */
  nextOccurrenceId: serverOwned<string | null>(),
  createdAt: serverOwned<Date>(),
  updatedAt: serverOwned<Date>(),
  /** 1 when created, one more on every change: what a write checks it is not overwriting. */
  version: serverOwned<number>(),
};

/** What a caller's value for a field must satisfy; a field without rules takes any value. */
export interface FieldRules<T> {
  /** The form a given value is stored in (trimmed, normalized). */
  normalize?(value: T): T;
  /** Why a value, once normalized, cannot be stored, or null when it can; null is never asked. */
  problem?(value: NonNullable<T>): string | null;
  /** For a list: why one item, as given, cannot be stored; reported as `field.index`. */
  itemProblem?(item: T extends readonly (infer I)[] ? I : never): string | null;
}

/** A field a caller may set; a new task takes `default` when the caller leaves it out. */
export interface EditableField<T> extends FieldRules<T> {
  readonly owner: 'caller';
  readonly default: T;
}

/** A field a caller must give when creating a task: it has no default. */
export interface RequiredField<T> extends FieldRules<T> {
  readonly owner: 'caller';
  /** Never set: carries the field's type. */
  readonly type?: T;
}

/** A field only the server sets: a request that sends it is refused. */
export interface ServerOwnedField<T> {
  readonly owner: 'server';
  /** Never set: carries the field's type. */
  readonly type?: T;
}

function editable<T>(defaultValue: T, rules: FieldRules<T> = {}): EditableField<T> {
  return { ...rules, owner: 'caller', default: defaultValue };
}
function required<T>(rules: FieldRules<T>): RequiredField<T> {
  return { ...rules, owner: 'caller' };
}
function serverOwned<T>(): ServerOwnedField<T> {
  return { owner: 'server' };
}

type TaskFields = typeof TASK_FIELDS;
type ValueOf<F> =
  F extends EditableField<infer T>
    ? T
    : F extends RequiredField<infer T>
      ? T
      : F extends ServerOwnedField<infer T>
        ? T
        : never;

/**
 * Everything a task is, as plain data: one property per field of TASK_FIELDS. Repositories store
 * it, the view shows it, and request schemas are checked against the fields a caller may edit.
 */
export type TaskSnapshot = { readonly [K in keyof TaskFields]: ValueOf<TaskFields[K]> };

export type EditableTaskField = {
  [K in keyof TaskFields]: TaskFields[K] extends { owner: 'caller' } ? K : never;
}[keyof TaskFields];
type DefaultedField = {
  [K in keyof TaskFields]: TaskFields[K] extends EditableField<unknown> ? K : never;
}[keyof TaskFields];

const names = Object.keys(TASK_FIELDS) as (keyof TaskFields)[];

/** Every field, in the table's (reading) order. */
export const TASK_FIELD_NAMES: readonly (keyof TaskSnapshot)[] = names;

/** The fields a caller may set; every other field belongs to the server. */
export const EDITABLE_TASK_FIELDS = names.filter(
  (name) => TASK_FIELDS[name].owner === 'caller',
) as readonly EditableTaskField[];

/** What a new task is when a caller leaves a field out (and what PUT resets a field to). */
export const TASK_DEFAULTS = Object.freeze(
  Object.fromEntries(
    names.flatMap((name) => {
      const field = TASK_FIELDS[name];
      return 'default' in field ? [[name, field.default]] : [];
    }),
  ),
) as { readonly [K in DefaultedField]: TaskSnapshot[K] };

/** The rules of an editable field, for code that checks every field the same way. */
export function rulesOf(field: EditableTaskField): {
  normalize?(value: unknown): unknown;
  problem?(value: unknown): string | null;
  itemProblem?(item: unknown): string | null;
} {
  return TASK_FIELDS[field];
}
