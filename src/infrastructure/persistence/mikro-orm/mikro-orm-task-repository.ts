import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import { Task, type TaskSnapshot } from '../../../domain/task/task.js';
import type {
  AddOutcome,
  TaskListQuery,
  TaskRepository,
  WriteOutcome,
} from '../../../domain/task/task-repository.port.js';
import { guardDatabase } from '../database-errors.js';
import { SORT_COLUMNS, TaskSchema } from './task.schema.js';

/**
 * Counts one more task for an owner, unless that would pass the limit or the owner was erased:
 * one statement, so two concurrent adds cannot both take the last place, and an add waiting on
 * the row an erasure holds sees it closed (the upsert locks the owner's row).
 */
const COUNT_ONE_MORE = `insert into "task_count" ("user_id", "tasks") values (?, 1)
  on conflict ("user_id") do update set "tasks" = "task_count"."tasks" + 1
  where ("task_count"."closed_until" is null or "task_count"."closed_until" <= ?)`;
const UNDER_LIMIT = ` and "task_count"."tasks" < ?`;

/** Closes an owner's count (their account is gone): adds are refused until `closed_until`. */
const CLOSE_COUNT = `insert into "task_count" ("user_id", "tasks", "closed_until") values (?, 0, ?)
  on conflict ("user_id") do update set "tasks" = 0, "closed_until" = excluded."closed_until"`;

/**
 * Stores tasks in PostgreSQL or SQLite through MikroORM; every statement is scoped by owner, and
 * every change is conditional on the version it was made from.
 *
 * Reads are hand-written SQL on MikroORM's connection, with rows turned into snapshots by
 * MikroORM's own result mapper (column names, each platform's dates and booleans): the list is
 * the hot path, and measured, the query builder cost as much CPU as the query itself.
 */
export class MikroOrmTaskRepository implements TaskRepository {
  constructor(private readonly orm: MikroORM) {}

  add(task: Task, maxPerOwner: number | null = null): Promise<AddOutcome> {
    const snapshot = task.toSnapshot();
    return guardDatabase(() =>
      this.em().transactional(async (em): Promise<AddOutcome> => {
        const sql = `${COUNT_ONE_MORE}${maxPerOwner === null ? '' : UNDER_LIMIT} returning "tasks"`;
        const params: unknown[] = [snapshot.ownerId, snapshot.createdAt];
        if (maxPerOwner !== null) params.push(maxPerOwner);
        const counted = await em.execute<unknown[]>(sql, params);
        if (counted.length === 0)
          return (await this.isClosed(em, snapshot)) ? 'owner-closed' : 'limit-reached';
        await em.insert(TaskSchema, snapshot);
        return 'added';
      }),
    );
  }

  findOwned(ownerId: string, taskId: string): Promise<Task | null> {
    return guardDatabase(async () => {
      const rows = await this.select('where "id" = ? and "user_id" = ?', [taskId, ownerId]);
      return rows[0] ? Task.fromSnapshot(rows[0]) : null;
    });
  }

  update(task: Task, expectedVersion: number): Promise<WriteOutcome> {
    return guardDatabase(async () => {
      const { id, ownerId, createdAt: _createdAt, ...changes } = task.toSnapshot();
      const where = { id, ownerId, version: expectedVersion };
      if ((await this.em().nativeUpdate(TaskSchema, where, changes)) > 0) return 'done';
      return (await this.exists(ownerId, id)) ? 'changed' : 'missing';
    });
  }

  removeOwned(
    ownerId: string,
    taskId: string,
    versions?: readonly number[],
  ): Promise<WriteOutcome> {
    return guardDatabase(() =>
      this.em().transactional(async (em) => {
        const where = versions
          ? { id: taskId, ownerId, version: { $in: [...versions] } }
          : { id: taskId, ownerId };
        if ((await em.nativeDelete(TaskSchema, where)) > 0) {
          await em.execute('update "task_count" set "tasks" = "tasks" - 1 where "user_id" = ?', [
            ownerId,
          ]);
          return 'done';
        }
        return (await this.exists(ownerId, taskId, em)) ? 'changed' : 'missing';
      }),
    );
  }

  eraseOwner(ownerId: string, closedUntil: Date): Promise<void> {
    return guardDatabase(() =>
      this.em().transactional(async (em) => {
        // First the count row: it waits for adds in flight to commit, and stops later ones.
        await em.execute(CLOSE_COUNT, [ownerId, closedUntil]);
        await em.nativeDelete(TaskSchema, { ownerId });
      }),
    );
  }

  private async isClosed(
    em: EntityManager,
    { ownerId, createdAt }: TaskSnapshot,
  ): Promise<boolean> {
    const rows = await em.execute<unknown[]>(
      'select 1 from "task_count" where "user_id" = ? and "closed_until" > ?',
      [ownerId, createdAt],
    );
    return rows.length > 0;
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

  private async exists(ownerId: string, taskId: string, em = this.em()): Promise<boolean> {
    const rows = await em.execute<unknown[]>(
      'select 1 from "task" where "id" = ? and "user_id" = ?',
      [taskId, ownerId],
    );
    return rows.length > 0;
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
