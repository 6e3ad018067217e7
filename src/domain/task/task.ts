import type { Priority } from './priority.js';
import { nextDueAt, type Recurrence } from './recurrence.js';
import { InvalidTaskError, type FieldViolation } from './task.errors.js';
import {
  EDITABLE_TASK_FIELDS,
  rulesOf,
  TASK_DEFAULTS,
  type EditableTaskField,
  type TaskSnapshot,
} from './task-fields.js';
import { dueAtProblem } from './task-rules.js';

export {
  EDITABLE_TASK_FIELDS,
  TASK_DEFAULTS,
  type EditableTaskField,
  type TaskSnapshot,
} from './task-fields.js';

/** A change to any of the editable fields; a full replacement gives all of them. */
export type TaskChanges = Partial<Pick<TaskSnapshot, EditableTaskField>>;

/** A new task is pending: every other editable field may be given, and the title must be. */
export interface NewTask extends Omit<TaskChanges, 'completed'> {
  readonly id: string;
  readonly ownerId: string;
  readonly title: string;
  readonly now: Date;
}

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
    // A copy of this task, pending and due one period later.
    const { completed: _completed, ...carried } = this.editable();
    return Task.create({ ...carried, id, ownerId: this.ownerId, dueAt: due, now });
  }

  toSnapshot(): TaskSnapshot {
    return copyOf(this.state);
  }

  private editable(): Editable {
    return Object.fromEntries(
      EDITABLE_TASK_FIELDS.map((field) => [field, this.state[field]]),
    ) as unknown as Editable;
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
    const stored: Record<string, unknown> = { ...fields };
    const violations: FieldViolation[] = [];
    const check = (field: string, problem: string | null | undefined) => {
      if (problem) violations.push({ field, message: problem });
    };
    for (const field of EDITABLE_TASK_FIELDS) {
      const given = changed[field];
      if (given === undefined) continue;
      const rules = rulesOf(field);
      const value = rules.normalize ? rules.normalize(given) : given;
      stored[field] = value;
      if (Array.isArray(given))
        given.forEach((item, index) => check(`${field}.${index}`, rules.itemProblem?.(item)));
      if (value !== null) check(field, rules.problem?.(value));
    }
    if (fields.recurrence !== null && fields.dueAt === null) {
      const field = changed.recurrence === undefined ? 'dueAt' : 'recurrence';
      const message =
        field === 'dueAt'
          ? 'must stay set while the task recurs: set recurrence to null first'
          : 'needs a dueAt: a recurring task repeats from its due date';
      check(field, message);
    }
    if (violations.length > 0) throw new InvalidTaskError(violations);
    return stored as unknown as Editable;
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
  const copy: Record<string, unknown> = { ...snapshot };
  for (const field in copy) {
    const value = copy[field];
    if (value instanceof Date) copy[field] = new Date(value.getTime());
    else if (Array.isArray(value)) copy[field] = value.slice();
  }
  return copy as TaskState;
}
