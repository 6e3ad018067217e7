import { InvalidTaskError, type FieldViolation } from './task.errors.js';
import { descriptionProblem, titleProblem } from './task-rules.js';

/** Everything a task is, as plain data: what repositories store and views show. */
export interface TaskSnapshot {
  readonly id: string;
  readonly ownerId: string;
  readonly title: string;
  readonly description: string | null;
  readonly completed: boolean;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface NewTask {
  readonly id: string;
  readonly ownerId: string;
  readonly title: string;
  readonly description?: string | null;
  readonly now: Date;
}

export interface TaskChanges {
  readonly title?: string;
  readonly description?: string | null;
  readonly completed?: boolean;
}

/** A to-do item owned by one user. Titles are trimmed and 1–200 characters long. */
export class Task {
  private constructor(
    private readonly _id: string,
    private readonly _ownerId: string,
    private _title: string,
    private _description: string | null,
    private _completed: boolean,
    private readonly _createdAt: Date,
    private _updatedAt: Date,
  ) {}

  static create(input: NewTask): Task {
    const title = input.title.trim();
    const description = input.description ?? null;
    Task.assertValid({ title, description });
    return new Task(input.id, input.ownerId, title, description, false, input.now, input.now);
  }

  /** Rebuilds a task that was valid when stored; no rules are re-run. */
  static fromSnapshot(s: TaskSnapshot): Task {
    const { id, ownerId, title, description, completed } = s;
    return new Task(
      id,
      ownerId,
      title,
      description,
      completed,
      new Date(s.createdAt),
      new Date(s.updatedAt),
    );
  }

  get id(): string {
    return this._id;
  }
  get ownerId(): string {
    return this._ownerId;
  }
  get title(): string {
    return this._title;
  }
  get description(): string | null {
    return this._description;
  }
  get completed(): boolean {
    return this._completed;
  }
  // Dates are mutable objects: hand out copies so nobody changes a task behind its back.
  get createdAt(): Date {
    return new Date(this._createdAt);
  }
  get updatedAt(): Date {
    return new Date(this._updatedAt);
  }

  isOwnedBy(userId: string): boolean {
    return this._ownerId === userId;
  }

  /** Applies every given change, or none of them when any is invalid. */
  edit(changes: TaskChanges, now: Date): void {
    const title = changes.title === undefined ? undefined : changes.title.trim();
    Task.assertValid({ title, description: changes.description });
    const next = {
      title: title ?? this._title,
      description: changes.description === undefined ? this._description : changes.description,
      completed: changes.completed ?? this._completed,
    };
    if (
      next.title === this._title &&
      next.description === this._description &&
      next.completed === this._completed
    ) {
      return;
    }
    this._title = next.title;
    this._description = next.description;
    this._completed = next.completed;
    this.touch(now);
  }

  toggleCompletion(now: Date): void {
    this._completed = !this._completed;
    this.touch(now);
  }

  toSnapshot(): TaskSnapshot {
    return {
      id: this._id,
      ownerId: this._ownerId,
      title: this._title,
      description: this._description,
      completed: this._completed,
      createdAt: this.createdAt,
      updatedAt: this.updatedAt,
    };
  }

  private touch(now: Date): void {
    // A clock that stepped back must not make updatedAt precede createdAt.
    this._updatedAt = now < this._createdAt ? this._createdAt : now;
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
