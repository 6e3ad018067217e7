import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import { Task } from '../../../domain/task/task.js';
import type { TaskListQuery, TaskRepository } from '../../../domain/task/task-repository.port.js';
import { guardDatabase } from '../database-errors.js';
import { SORT_COLUMNS, TaskSchema, type TaskRecord } from './task.schema.js';

/** Stores tasks in PostgreSQL or SQLite through MikroORM; every statement is scoped by owner. */
export class MikroOrmTaskRepository implements TaskRepository {
  constructor(private readonly orm: MikroORM) {}

  add(task: Task): Promise<void> {
    return guardDatabase(async () => {
      await this.em().insert(TaskSchema, toRecord(task));
    });
  }

  findOwned(ownerId: string, taskId: string): Promise<Task | null> {
    return guardDatabase(async () => {
      const row = await this.em().findOne(TaskSchema, { id: taskId, userId: ownerId });
      return row ? toTask(row) : null;
    });
  }

  update(task: Task): Promise<boolean> {
    return guardDatabase(async () => {
      const { title, description, completed, updatedAt } = toRecord(task);
      const changed = await this.em().nativeUpdate(
        TaskSchema,
        { id: task.id, userId: task.ownerId },
        { title, description, completed, updatedAt },
      );
      return changed > 0;
    });
  }

  removeOwned(ownerId: string, taskId: string): Promise<boolean> {
    return guardDatabase(async () => {
      return (await this.em().nativeDelete(TaskSchema, { id: taskId, userId: ownerId })) > 0;
    });
  }

  list(query: TaskListQuery): Promise<Task[]> {
    return guardDatabase(async () => {
      const em = this.em();
      const column = SORT_COLUMNS[query.sort];
      const qb = em
        .createQueryBuilder(TaskSchema)
        .select('*')
        .where({ userId: query.ownerId })
        .orderBy({ [query.sort]: query.order, id: query.order })
        .limit(query.limit);
      if (query.status !== 'all') qb.andWhere({ completed: query.status === 'completed' });
      if (query.after) {
        // A row-value comparison lets the database seek straight into the (user_id, column, id) index.
        const op = query.order === 'asc' ? '>' : '<';
        const value = em.getPlatform().processDateProperty(query.after.value);
        qb.andWhere(`("${column}", "id") ${op} (?, ?)`, [value, query.after.id]);
      }
      const rows = await qb.getResultList();
      return rows.map(toTask);
    });
  }

  private em(): EntityManager {
    return this.orm.em.fork() as EntityManager;
  }
}

function toRecord(task: Task): TaskRecord {
  const s = task.toSnapshot();
  return {
    id: s.id,
    userId: s.ownerId,
    title: s.title,
    description: s.description,
    completed: s.completed,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
  };
}

function toTask(row: TaskRecord): Task {
  return Task.fromSnapshot({
    id: row.id,
    ownerId: row.userId,
    title: row.title,
    description: row.description,
    completed: row.completed,
    createdAt: new Date(row.createdAt),
    updatedAt: new Date(row.updatedAt),
  });
}
