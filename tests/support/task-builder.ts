import type { expect } from '@jest/globals';
import { toTaskView, type TaskView } from '../../src/application/tasks/task.view.js';
import type { Priority } from '../../src/domain/task/priority.js';
import type { Recurrence } from '../../src/domain/task/recurrence.js';
import { Task, TASK_DEFAULTS, type TaskSnapshot } from '../../src/domain/task/task.js';

let sequence = 0;

type Fields = { -readonly [K in keyof TaskSnapshot]: TaskSnapshot[K] };
/** What `expect.any(String)`, `expect.stringMatching(…)` and their kind return. */
type Matcher = ReturnType<typeof expect.anything>;

/**
 * The fields of a task for a test, set one at a time (an Object Mother): a field nobody sets is
 * the domain's default (TASK_DEFAULTS), so a new field with a default needs nothing here.
 */
export abstract class TaskFieldsBuilder<Built> {
  protected readonly fields: Fields;
  private updatedAtGiven = false;

  constructor() {
    sequence += 1;
    const createdAt = new Date('2026-01-01T00:00:00.000Z');
    this.fields = {
      ...TASK_DEFAULTS,
      id: `00000000-0000-4000-9000-${sequence.toString().padStart(12, '0')}`,
      ownerId: 'user-1',
      title: 'A task',
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
  /** Completed at its last change, unless `completedAtIso` says otherwise. */
  completed(): this {
    return this.with({ completed: true });
  }
  withPriority(priority: Priority): this {
    return this.with({ priority });
  }
  withTags(...tags: string[]): this {
    return this.with({ tags });
  }
  dueAtIso(iso: string | null): this {
    return this.with({ dueAt: iso === null ? null : new Date(iso) });
  }
  recurring(recurrence: Recurrence): this {
    return this.with({ recurrence });
  }
  createdAtIso(iso: string): this {
    return this.with({ createdAt: new Date(iso) });
  }
  /** When it last changed; by default when it was created. */
  updatedAtIso(iso: string): this {
    return this.with({ updatedAt: new Date(iso) });
  }
  completedAtIso(iso: string): this {
    return this.with({ completed: true, completedAt: new Date(iso) });
  }
  followedBy(nextOccurrenceId: string): this {
    return this.with({ nextOccurrenceId });
  }
  atVersion(version: number): this {
    return this.with({ version });
  }

  /** Any fields at once. */
  with(fields: Partial<TaskSnapshot>): this {
    Object.assign(this.fields, fields);
    if (fields.updatedAt !== undefined) this.updatedAtGiven = true;
    return this;
  }

  abstract build(): Built;

  protected snapshot(): TaskSnapshot {
    const updatedAt = this.updatedAtGiven ? this.fields.updatedAt : this.fields.createdAt;
    // A completed task was completed at its last change, unless told otherwise.
    const completedAt = this.fields.completedAt ?? (this.fields.completed ? updatedAt : null);
    return { ...this.fields, updatedAt, completedAt };
  }
}

/** Builds tasks: `aTask().ownedBy('u1').withTags('home').completed().build()`. */
export class TaskBuilder extends TaskFieldsBuilder<Task> {
  build(): Task {
    return Task.fromSnapshot(this.snapshot());
  }

  /** The task's snapshot, for comparing with what a task or a repository gives back. */
  buildSnapshot(): TaskSnapshot {
    return this.snapshot();
  }
}

/**
 * Builds what a caller is shown of a task: `aTaskView().ownedBy(ada.id).titled('x').build()`.
 * `showing` sets fields as the view names and shows them, or a matcher for what a test cannot
 * know beforehand (a generated id, the server's clock).
 */
export class TaskViewBuilder extends TaskFieldsBuilder<TaskView> {
  private readonly shown: { [K in keyof TaskView]?: TaskView[K] | Matcher } = {};

  showing(fields: { [K in keyof TaskView]?: TaskView[K] | Matcher }): this {
    Object.assign(this.shown, fields);
    return this;
  }

  build(): TaskView {
    return { ...toTaskView(Task.fromSnapshot(this.snapshot())), ...this.shown } as TaskView;
  }
}

export const aTask = (): TaskBuilder => new TaskBuilder();
export const aTaskView = (): TaskViewBuilder => new TaskViewBuilder();
