import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import { PostgreSqlPlatform } from '@mikro-orm/postgresql';
import { Task } from '../../../domain/task/task.js';
import type { TaskListQuery, TaskRepository } from '../../../domain/task/task-repository.port.js';
import { guardDatabase } from '../database-errors.js';
import { SORT_COLUMNS, TaskSchema, type TaskRecord } from './task.schema.js';

/** A `task` row as the driver returns it: PostgreSQL gives Dates and booleans, SQLite numbers. */
interface TaskRow {
  id: string;
  user_id: string;
  title: string;
  description: string | null;
  completed: boolean | number;
  created_at: Date | number | string;
  updated_at: Date | number | string;
}

/**
 * Stores tasks in PostgreSQL or SQLite through MikroORM; every statement is scoped by owner.
 * Reads are hand-written SQL on MikroORM's connection: they are the hot path, and entity
 * hydration cost several times the query itself (see bench/README.md).
 */
export class MikroOrmTaskRepository implements TaskRepository {
  private readonly postgres: boolean;

  constructor(private readonly orm: MikroORM) {
    this.postgres = orm.em.getPlatform() instanceof PostgreSqlPlatform;
  }

  add(task: Task): Promise<void> {
    return guardDatabase(async () => {
      await this.em().insert(TaskSchema, toRecord(task));
    });
  }

  findOwned(ownerId: string, taskId: string): Promise<Task | null> {
    return guardDatabase(async () => {
      const rows = await this.select('where "id" = ? and "user_id" = ?', [taskId, ownerId]);
      return rows[0] ? toTask(rows[0]) : null;
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
      const column = SORT_COLUMNS[query.sort];
      const direction = query.order === 'asc' ? 'asc' : 'desc';
      const conditions = ['"user_id" = ?'];
      const params: unknown[] = [query.ownerId];
      if (query.status !== 'all') {
        conditions.push('"completed" = ?');
        params.push(this.bool(query.status === 'completed'));
      }
      if (query.after) {
        // A row-value comparison lets the database seek straight into the (user_id, column, id) index.
        conditions.push(`("${column}", "id") ${direction === 'asc' ? '>' : '<'} (?, ?)`);
        params.push(this.value(query.after.value), query.after.id);
      }
      const rows = await this.select(
        `where ${conditions.join(' and ')} order by "${column}" ${direction}, "id" ${direction} limit ?`,
        [...params, query.limit],
      );
      return rows.map(toTask);
    });
  }

  private select(clause: string, params: unknown[]): Promise<TaskRow[]> {
    return this.orm.em.getConnection().execute<TaskRow[]>(`select * from "task" ${clause}`, params);
  }

  /** SQLite has no boolean or date type: MikroORM stores them as 0/1 and epoch milliseconds. */
  private bool(value: boolean): boolean | number {
    return this.postgres ? value : Number(value);
  }

  private value(value: Date | string): Date | string | number {
    return value instanceof Date && !this.postgres ? value.getTime() : value;
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

function toTask(row: TaskRow): Task {
  return Task.fromSnapshot({
    id: row.id,
    ownerId: row.user_id,
    title: row.title,
    description: row.description,
    completed: Boolean(row.completed),
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  });
}
