import { InvalidTaskError, type FieldViolation } from './task.errors.js';
import { descriptionProblem, titleProblem } from './task-rules.js';

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

type TaskState = { -readonly [K in keyof TaskSnapshot]: TaskSnapshot[K] };

/** A to-do item owned by one user. Titles are trimmed and 1–200 characters long. */
export class Task {
  private constructor(private readonly state: TaskState) {}

  static create(input: NewTask): Task {
    const title = input.title.trim();
    const description = input.description ?? null;
    Task.assertValid({ title, description });
    return new Task({
      id: input.id,
      ownerId: input.ownerId,
      title,
      description,
      completed: false,
      createdAt: input.now,
      updatedAt: input.now,
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
    const title = changes.title === undefined ? undefined : changes.title.trim();
    Task.assertValid({ title, description: changes.description });
    const next: Required<TaskChanges> = {
      title: title ?? this.state.title,
      description: changes.description === undefined ? this.state.description : changes.description,
      completed: changes.completed ?? this.state.completed,
    };
    if (EDITABLE_TASK_FIELDS.every((field) => next[field] === this.state[field])) return;
    Object.assign(this.state, next);
    this.touch(now);
  }

  toggleCompletion(now: Date): void {
    this.state.completed = !this.state.completed;
    this.touch(now);
  }

  toSnapshot(): TaskSnapshot {
    return copyOf(this.state);
  }

  /** Every change goes through here: a new version, and the time of the change. */
  private touch(now: Date): void {
    this.state.version += 1;
    // A clock that stepped back must not make updatedAt precede createdAt.
    this.state.updatedAt = now < this.state.createdAt ? this.state.createdAt : now;
  }

  private static assertValid(fields: { title?: string; description?: string | null }): void {
    const violations: FieldViolation[] = [];
    if (fields.title !== undefined) {
      const problem = titleProblem(fields.title);
      if (problem) violations.push({ field: 'title', message: problem });
    }
    if (typeof fields.description === 'string') {
      const problem = descriptionProblem(fields.description);
      if (problem) violations.push({ field: 'description', message: problem });
    }
    if (violations.length > 0) throw new InvalidTaskError(violations);
  }
}

/** Dates are mutable objects: a task and its snapshots never share one. */
function copyOf(snapshot: TaskSnapshot): TaskState {
  return {
    ...snapshot,
    createdAt: new Date(snapshot.createdAt),
    updatedAt: new Date(snapshot.updatedAt),
  };
}
