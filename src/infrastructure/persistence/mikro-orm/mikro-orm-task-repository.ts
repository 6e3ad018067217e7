import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import { Task, type TaskSnapshot } from '../../../domain/task/task.js';
import type { TaskListQuery, TaskRepository } from '../../../domain/task/task-repository.port.js';
import { guardDatabase } from '../database-errors.js';
import { SORT_COLUMNS, TaskSchema } from './task.schema.js';

/**
 * Stores tasks in PostgreSQL or SQLite through MikroORM; every statement is scoped by owner.
 *
 * Reads are hand-written SQL on MikroORM's connection, with rows turned into snapshots by
 * MikroORM's own result mapper (column names, each platform's dates and booleans): the list is
 * the hot path, and measured, the query builder cost as much CPU as the query itself.
 */
export class MikroOrmTaskRepository implements TaskRepository {
  constructor(private readonly orm: MikroORM) {}

  add(task: Task): Promise<void> {
    return guardDatabase(async () => {
      await this.em().insert(TaskSchema, task.toSnapshot());
    });
  }

  findOwned(ownerId: string, taskId: string): Promise<Task | null> {
    return guardDatabase(async () => {
      const rows = await this.select('where "id" = ? and "user_id" = ?', [taskId, ownerId]);
      return rows[0] ? Task.fromSnapshot(rows[0]) : null;
    });
  }

  update(task: Task): Promise<boolean> {
    return guardDatabase(async () => {
      const { id, ownerId, createdAt: _createdAt, ...changes } = task.toSnapshot();
      return (await this.em().nativeUpdate(TaskSchema, { id, ownerId }, changes)) > 0;
    });
  }

  removeOwned(ownerId: string, taskId: string): Promise<boolean> {
    return guardDatabase(async () => {
      return (await this.em().nativeDelete(TaskSchema, { id: taskId, ownerId })) > 0;
    });
  }

  list(query: TaskListQuery): Promise<Task[]> {
    return guardDatabase(async () => {
      const column = SORT_COLUMNS[query.sort];
      const direction = query.order === 'asc' ? 'asc' : 'desc';
      const conditions = ['"user_id" = ?'];
      const params: unknown[] = [query.ownerId];
      if (query.status !== 'all') {
        conditions.push('"completed" = ?');
        params.push(query.status === 'completed');
      }
      if (query.after) {
        // A row-value comparison lets the database seek straight into the (user_id, column, id) index.
        conditions.push(`("${column}", "id") ${direction === 'asc' ? '>' : '<'} (?, ?)`);
        params.push(query.after.value, query.after.id);
      }
      const rows = await this.select(
        `where ${conditions.join(' and ')} order by "${column}" ${direction}, "id" ${direction} limit ?`,
        [...params, query.limit],
      );
      return rows.map(Task.fromSnapshot);
    });
  }

  /** Rows of the task table as snapshots; knex binds dates and booleans for each platform. */
  private async select(clause: string, params: unknown[]): Promise<TaskSnapshot[]> {
    const rows = await this.orm.em
      .getConnection()
      .execute<Record<string, unknown>[]>(`select * from "task" ${clause}`, params);
    const comparator = this.orm.em.getComparator();
    return rows.map(
      (row: Record<string, unknown>) =>
        comparator.mapResult(TaskSchema.meta.className, row) as unknown as TaskSnapshot,
    );
  }

  private em(): EntityManager {
    return this.orm.em.fork() as EntityManager;
  }
}
