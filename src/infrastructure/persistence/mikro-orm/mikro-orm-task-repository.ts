import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import { PostgreSqlPlatform } from '@mikro-orm/postgresql';
import { Task, type TaskSnapshot } from '../../../domain/task/task.js';
import type {
  AddOutcome,
  FollowUp,
  TaskListQuery,
  TaskRepository,
  UpdateOutcome,
  WriteOutcome,
} from '../../../domain/task/task-repository.port.js';
import { searchTextOf } from '../../../domain/task/task-search.js';
import { guardDatabase } from '../database-errors.js';
import { TASK_ENTITY, type TaskRow } from './task.schema.js';
import { searchGramsOf, ownerTagsOf } from './search-keys.js';
import { listStatement, type Dialect } from './task-list-sql.js';

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
  private readonly dialect: Dialect;

  constructor(private readonly orm: MikroORM) {
    this.dialect = orm.em.getPlatform() instanceof PostgreSqlPlatform ? 'postgresql' : 'sqlite';
  }

  add(task: Task, maxPerOwner: number | null = null): Promise<AddOutcome> {
    return guardDatabase(() => this.em().transactional((em) => this.insert(em, task, maxPerOwner)));
  }

  private async insert(em: EntityManager, task: Task, maxPerOwner: number | null) {
    const snapshot = task.toSnapshot();
    const sql = `${COUNT_ONE_MORE}${maxPerOwner === null ? '' : UNDER_LIMIT} returning "tasks"`;
    const params: unknown[] = [snapshot.ownerId, snapshot.createdAt];
    if (maxPerOwner !== null) params.push(maxPerOwner);
    const counted = await em.execute<unknown[]>(sql, params);
    if (counted.length === 0)
      return (await this.isClosed(em, snapshot)) ? 'owner-closed' : 'limit-reached';
    await em.insert(TASK_ENTITY, toRow(snapshot, this.dialect));
    return 'added';
  }

  findOwned(ownerId: string, taskId: string): Promise<Task | null> {
    return guardDatabase(async () => {
      const rows = await this.select('where "id" = ? and "user_id" = ?', [taskId, ownerId]);
      return rows[0] ? Task.fromSnapshot(rows[0]) : null;
    });
  }

  update(task: Task, expectedVersion: number, followUp?: FollowUp): Promise<UpdateOutcome> {
    if (!followUp) return guardDatabase(() => this.save(this.em(), task, expectedVersion));
    return guardDatabase(async () => {
      try {
        return await this.em().transactional(async (em) => {
          const outcome = await this.save(em, task, expectedVersion);
          if (outcome !== 'done') return outcome;
          const added = await this.insert(em, followUp.task, followUp.maxPerOwner);
          if (added !== 'added') throw new FollowUpRefused(added);
          return 'done';
        });
      } catch (error) {
        // The count refused the follow-up: the rollback took the change with it.
        if (!(error instanceof FollowUpRefused)) throw error;
        return error.outcome === 'limit-reached' ? 'limit-reached' : 'missing';
      }
    });
  }

  /** One conditional UPDATE: the version it read is still the stored one, or nothing is saved. */
  private async save(em: EntityManager, task: Task, expectedVersion: number) {
    const {
      id,
      ownerId,
      createdAt: _createdAt,
      ...changes
    } = toRow(task.toSnapshot(), this.dialect);
    const where = { id, ownerId, version: expectedVersion };
    if ((await em.nativeUpdate(TASK_ENTITY, where, changes)) > 0) return 'done';
    return (await this.exists(ownerId, id, em)) ? 'changed' : 'missing';
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
        if ((await em.nativeDelete(TASK_ENTITY, where)) > 0) {
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
        await em.nativeDelete(TASK_ENTITY, { ownerId });
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
      const { clause, params } = listStatement(query, this.dialect);
      return (await this.select(clause, params)).map(Task.fromSnapshot);
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
    return rows.map((row: Record<string, unknown>) =>
      toSnapshot(comparator.mapResult(TASK_ENTITY, row) as unknown as StoredRow),
    );
  }

  private em(): EntityManager {
    return this.orm.em.fork() as EntityManager;
  }
}

/** Thrown inside a transaction to roll it back when the follow-up of an update cannot be added. */
class FollowUpRefused extends Error {
  constructor(readonly outcome: Exclude<AddOutcome, 'added'>) {
    super(outcome);
  }
}

/** A row as MikroORM's result mapper gives it: tags still as the driver read them. */
type StoredRow = Omit<TaskRow, 'tags'> & { tags: readonly string[] | string };

function toRow(snapshot: TaskSnapshot, dialect: Dialect): TaskRow {
  const searchText = searchTextOf(snapshot);
  if (dialect === 'sqlite') return { ...snapshot, searchText };
  const { ownerId, tags } = snapshot;
  return {
    ...snapshot,
    searchText,
    searchGrams: searchGramsOf(ownerId, searchText),
    ownerTags: ownerTagsOf(ownerId, tags),
  };
}

function toSnapshot({
  searchText: _searchText,
  searchGrams: _searchGrams,
  ownerTags: _ownerTags,
  tags,
  ...row
}: StoredRow): TaskSnapshot {
  // PostgreSQL's driver reads text[] as an array; SQLite's column holds "a,b".
  return { ...row, tags: typeof tags === 'string' ? tags.split(',').filter(Boolean) : tags };
}
