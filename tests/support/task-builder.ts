import { Task, type TaskSnapshot } from '../../src/domain/task/task.js';

let sequence = 0;

type Fields = { -readonly [K in keyof TaskSnapshot]: TaskSnapshot[K] };

/** Builds tasks for tests: `aTask().ownedBy('u1').titled('x').completed().build()`. */
export class TaskBuilder {
  private readonly fields: Fields;
  private updatedAt: Date | null = null;

  constructor() {
    sequence += 1;
    const createdAt = new Date('2026-01-01T00:00:00.000Z');
    // Every field's default: a new field of TaskSnapshot must be given one here.
    this.fields = {
      id: `00000000-0000-4000-9000-${sequence.toString().padStart(12, '0')}`,
      ownerId: 'user-1',
      title: 'A task',
      description: null,
      completed: false,
      priority: 'medium',
      tags: [],
      dueAt: null,
      recurrence: null,
      completedAt: null,
      nextOccurrenceId: null,
      createdAt,
      updatedAt: createdAt,
      version: 1,
    };
  }

  withId(id: string): this {
    return this.with({ id });
  }
  ownedBy(ownerId: string): this {
    return this.with({ ownerId });
  }
  titled(title: string): this {
    return this.with({ title });
  }
  describedAs(description: string | null): this {
    return this.with({ description });
  }
  completed(): this {
    return this.with({ completed: true });
  }
  dueAtIso(iso: string | null): this {
    return this.with({ dueAt: iso === null ? null : new Date(iso) });
  }
  createdAtIso(iso: string): this {
    return this.with({ createdAt: new Date(iso) });
  }
  updatedAtIso(iso: string): this {
    this.updatedAt = new Date(iso);
    return this;
  }

  /** Any fields at once. */
  with(fields: Partial<TaskSnapshot>): this {
    Object.assign(this.fields, fields);
    return this;
  }

  build(): Task {
    const updatedAt = this.updatedAt ?? this.fields.createdAt;
    // A completed task was completed at its last change, unless told otherwise.
    const completedAt = this.fields.completedAt ?? (this.fields.completed ? updatedAt : null);
    return Task.fromSnapshot({ ...this.fields, updatedAt, completedAt });
  }
}

export const aTask = (): TaskBuilder => new TaskBuilder();
