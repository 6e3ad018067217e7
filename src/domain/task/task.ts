import { DEFAULT_PRIORITY, type Priority } from './priority.js';
import { nextDueAt, type Recurrence } from './recurrence.js';
import { InvalidTaskError, type FieldViolation } from './task.errors.js';
import { descriptionProblem, dueAtProblem, titleProblem } from './task-rules.js';
import { MAX_TAGS, normalizeTag, normalizeTags, tagProblem } from './task-tags.js';

/**
 * Everything a task is, as plain data: the one definition of a task's shape. Repositories store
 * it, the view shows it, and request schemas are checked against the fields a caller may edit.
 */
export interface TaskSnapshot {
  readonly id: string;
  readonly ownerId: string;
  readonly title: string;
  readonly description: string | null;
  readonly completed: boolean;
  readonly priority: Priority;
  /** Normalized (NFKC, lower-cased, trimmed), without duplicates, at most MAX_TAGS. */
  readonly tags: readonly string[];
  readonly dueAt: Date | null;
  /** A recurring task always has a dueAt: the next occurrence is due one period later. */
  readonly recurrence: Recurrence | null;
  /** When the task became completed; null while pending. */
  readonly completedAt: Date | null;
  /** The occurrence created when this recurring task was completed; at most one, ever. */
  readonly nextOccurrenceId: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  /** 1 when created, one more on every change: what a write checks it is not overwriting. */
  readonly version: number;
}

/** The fields a caller may set; every other field belongs to the server. */
export const EDITABLE_TASK_FIELDS = [
  'title',
  'description',
  'completed',
  'priority',
  'tags',
  'dueAt',
  'recurrence',
] as const satisfies readonly (keyof TaskSnapshot)[];
export type EditableTaskField = (typeof EDITABLE_TASK_FIELDS)[number];

/** A change to any of the editable fields; a full replacement gives all of them. */
export type TaskChanges = Partial<Pick<TaskSnapshot, EditableTaskField>>;

export interface NewTask extends Omit<TaskChanges, 'completed'> {
  readonly id: string;
  readonly ownerId: string;
  readonly title: string;
  readonly now: Date;
}

/** What a new task is when a caller leaves a field out (and what PUT resets a field to). */
export const TASK_DEFAULTS = {
  description: null,
  completed: false,
  priority: DEFAULT_PRIORITY,
  tags: [],
  dueAt: null,
  recurrence: null,
} as const satisfies Omit<Required<TaskChanges>, 'title'>;

type TaskState = { -readonly [K in keyof TaskSnapshot]: TaskSnapshot[K] };
type Editable = Pick<TaskSnapshot, EditableTaskField>;

/**
 * A to-do item owned by one user. Titles are trimmed and 1–200 characters long; tags are
 * normalized; a recurring task has a due date.
 */
export class Task {
  private constructor(private readonly state: TaskState) {}

  static create({ id, ownerId, now, ...given }: NewTask): Task {
    const changes = { ...definedOf(given), title: given.title, completed: false };
    const fields = Task.validated({ ...TASK_DEFAULTS, ...changes }, changes);
    return new Task({
      id,
      ownerId,
      ...fields,
      completedAt: null,
      nextOccurrenceId: null,
      createdAt: now,
      updatedAt: now,
      version: 1,
    });
  }

  /** Rebuilds a task that was valid when stored; no rules are re-run. */
  static fromSnapshot(snapshot: TaskSnapshot): Task {
    return new Task(copyOf(snapshot));
  }

  get id(): string {
    return this.state.id;
  }
  get ownerId(): string {
    return this.state.ownerId;
  }
  get title(): string {
    return this.state.title;
  }
  get description(): string | null {
    return this.state.description;
  }
  get completed(): boolean {
    return this.state.completed;
  }
  get priority(): Priority {
    return this.state.priority;
  }
  get tags(): readonly string[] {
    return [...this.state.tags];
  }
  get dueAt(): Date | null {
    return dateOrNull(this.state.dueAt);
  }
  get recurrence(): Recurrence | null {
    return this.state.recurrence;
  }
  get completedAt(): Date | null {
    return dateOrNull(this.state.completedAt);
  }
  get nextOccurrenceId(): string | null {
    return this.state.nextOccurrenceId;
  }
  get createdAt(): Date {
    return new Date(this.state.createdAt);
  }
  get updatedAt(): Date {
    return new Date(this.state.updatedAt);
  }
  get version(): number {
    return this.state.version;
  }

  /** Applies every given change, or none of them when any is invalid. */
  edit(changes: TaskChanges, now: Date): void {
    const given = definedOf(changes);
    const next = Task.validated({ ...this.editable(), ...given }, given);
    if (EDITABLE_TASK_FIELDS.every((field) => same(next[field], this.state[field]))) return;
    const wasCompleted = this.state.completed;
    Object.assign(this.state, next);
    this.touch(now, wasCompleted);
  }

  toggleCompletion(now: Date): void {
    const wasCompleted = this.state.completed;
    this.state.completed = !wasCompleted;
    this.touch(now, wasCompleted);
  }

  /**
   * The next occurrence of a recurring task that was just completed, with the given id, pending
   * and due one period later; null when there is none to create (not recurring, not completed,
   * or one was created before: completing the same occurrence twice makes no second one).
   */
  nextOccurrence(id: string, now: Date): Task | null {
    const { completed, recurrence, dueAt, nextOccurrenceId } = this.state;
    if (!completed || recurrence === null || dueAt === null || nextOccurrenceId !== null)
      return null;
    const due = nextDueAt(dueAt, recurrence);
    if (dueAtProblem(due) !== null) return null; // past the year 9999: the series ends
    this.state.nextOccurrenceId = id;
    const { title, description, priority, tags } = this.state;
    return Task.create({
      id,
      ownerId: this.ownerId,
      title,
      description,
      priority,
      tags,
      dueAt: due,
      recurrence,
      now,
    });
  }

  toSnapshot(): TaskSnapshot {
    return copyOf(this.state);
  }

  private editable(): Editable {
    const { title, description, completed, priority, tags, dueAt, recurrence } = this.state;
    return { title, description, completed, priority, tags, dueAt, recurrence };
  }

  /** Every change goes through here: a new version, the time of the change, and of completion. */
  private touch(now: Date, wasCompleted: boolean): void {
    this.state.version += 1;
    // A clock that stepped back must not make updatedAt precede createdAt.
    this.state.updatedAt = now < this.state.createdAt ? this.state.createdAt : now;
    if (this.state.completed !== wasCompleted)
      this.state.completedAt = this.state.completed ? this.state.updatedAt : null;
  }

  /**
   * The fields as they will be stored (trimmed, normalized), or an error naming each problem.
   * Only the `changed` fields are checked: a stored value stays as valid as when it was saved.
   */
  private static validated(fields: Editable, changed: Partial<Editable>): Editable {
    const title = changed.title === undefined ? fields.title : fields.title.trim();
    const tags = changed.tags === undefined ? fields.tags : normalizeTags(fields.tags);
    const violations: FieldViolation[] = [];
    const check = (field: string, problem: string | null) => {
      if (problem) violations.push({ field, message: problem });
    };
    if (changed.title !== undefined) check('title', titleProblem(title));
    if (typeof changed.description === 'string')
      check('description', descriptionProblem(changed.description));
    if (changed.tags !== undefined) {
      // Named by their place in the request, before duplicates merge.
      changed.tags.forEach((tag, index) => check(`tags.${index}`, tagProblem(normalizeTag(tag))));
      if (tags.length > MAX_TAGS) check('tags', `must be at most ${MAX_TAGS} different tags`);
    }
    if (changed.dueAt) check('dueAt', dueAtProblem(changed.dueAt));
    if (fields.recurrence !== null && fields.dueAt === null) {
      const field = changed.recurrence === undefined ? 'dueAt' : 'recurrence';
      const message =
        field === 'dueAt'
          ? 'must stay set while the task recurs: set recurrence to null first'
          : 'needs a dueAt: a recurring task repeats from its due date';
      check(field, message);
    }
    if (violations.length > 0) throw new InvalidTaskError(violations);
    return { ...fields, title, tags };
  }
}

/** The fields given a value: `undefined` means "leave as is", never "clear". */
function definedOf<T extends object>(fields: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(fields).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}

function same(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((item, i) => item === b[i]);
  return a === b;
}

function dateOrNull(date: Date | null): Date | null {
  return date === null ? null : new Date(date);
}

/** Dates and arrays are mutable objects: a task and its snapshots never share one. */
function copyOf(snapshot: TaskSnapshot): TaskState {
  return {
    ...snapshot,
    tags: [...snapshot.tags],
    dueAt: dateOrNull(snapshot.dueAt),
    completedAt: dateOrNull(snapshot.completedAt),
    createdAt: new Date(snapshot.createdAt),
    updatedAt: new Date(snapshot.updatedAt),
  };
}
