import { Task } from '../../src/domain/task/task.js';

let sequence = 0;

/** Builds tasks for tests: `aTask().ownedBy('u1').titled('x').completed().build()`. */
export class TaskBuilder {
  private id: string;
  private ownerId = 'user-1';
  private title = 'A task';
  private description: string | null = null;
  private done = false;
  private createdAt = new Date('2026-01-01T00:00:00.000Z');
  private updatedAt: Date | null = null;

  constructor() {
    sequence += 1;
    this.id = `00000000-0000-4000-9000-${sequence.toString().padStart(12, '0')}`;
  }

  withId(id: string): this {
    this.id = id;
    return this;
  }
  ownedBy(ownerId: string): this {
    this.ownerId = ownerId;
    return this;
  }
  titled(title: string): this {
    this.title = title;
    return this;
  }
  describedAs(description: string | null): this {
    this.description = description;
    return this;
  }
  completed(): this {
    this.done = true;
    return this;
  }
  createdAtIso(iso: string): this {
    this.createdAt = new Date(iso);
    return this;
  }
  updatedAtIso(iso: string): this {
    this.updatedAt = new Date(iso);
    return this;
  }

  build(): Task {
    return Task.fromSnapshot({
      id: this.id,
      ownerId: this.ownerId,
      title: this.title,
      description: this.description,
      completed: this.done,
      createdAt: this.createdAt,
      updatedAt: this.updatedAt ?? this.createdAt,
    });
  }
}

export const aTask = (): TaskBuilder => new TaskBuilder();
