import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import { PostgreSqlPlatform } from '@mikro-orm/postgresql';
import type { Clock } from '../../../application/shared/clock.port.js';
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
import { SystemClock } from '../../system/system-clock.js';
import { guardDatabase } from '../database-errors.js';
import { TASK_ENTITY, type TaskRow } from './task.schema.js';
import { searchGramsOf, ownerTagsOf } from './search-keys.js';
import { listStatement, type Dialect } from './task-list-sql.js';

/**
 * Counts one more task for an owner, unless that would pass the limit or the owner was erased,
 * and numbers the change: one statement, so two concurrent adds cannot both take the last place,
 * and an add waiting on the row an erasure holds sees it closed (the upsert locks the owner's row).
 */
const COUNT_ONE_MORE = `insert into "task_count" ("user_id", "tasks", "change_seq") values (?, 1, 1)
  on conflict ("user_id") do update
  set "tasks" = "task_count"."tasks" + 1, "change_seq" = "task_count"."change_seq" + 1
  where ("task_count"."closed_until" is null or "task_count"."closed_until" <= ?)`;
const UNDER_LIMIT = ` and "task_count"."tasks" < ?`;

/**
 * Numbers the owner's next change (`tasks` one less for a delete). Every write that saved
 * something ends with it (an add, with COUNT_ONE_MORE): the owner's count row stays locked until
 * commit, so one owner's writes commit in the order of their numbers, and a write that rolls back
 * takes its number with it (no gap). A write that saved nothing never takes the lock.
 */
const nextChange = (counted: '' | typeof ONE_LESS) =>
  `insert into "task_count" ("user_id", "tasks", "change_seq") values (?, 0, 1)
  on conflict ("user_id") do update set "change_seq" = "task_count"."change_seq" + 1${counted}
  returning "change_seq"`;
const ONE_LESS = ', "tasks" = "task_count"."tasks" - 1';

/** Keeps only the latest change of a task. */
const ON_CHANGE_CONFLICT = `on conflict ("user_id", "task_id") do update
  set "seq" = excluded."seq", "deleted" = excluded."deleted", "changed_at" = excluded."changed_at"`;
const record = (deleted: boolean) =>
  `insert into "task_change" ("user_id", "task_id", "seq", "deleted", "changed_at")
  values (?, ?, ?, ${deleted}, ?) ${ON_CHANGE_CONFLICT}`;
/**
 * On PostgreSQL, numbering and recording are one statement (`numbering` returns "change_seq"), so
 * the owner's row is held for one round trip and the commit: measured, a write of one owner
 * otherwise waited behind every other's extra round trips.
 */
const numberAndRecord = (numbering: string, deleted: boolean, before = '') =>
  `with ${before}"numbered" as (${numbering})
  insert into "task_change" ("user_id", "task_id", "seq", "deleted", "changed_at")
  select ?, ?, "change_seq", ${deleted}, ? from "numbered" ${ON_CHANGE_CONFLICT} returning "seq"`;

/** Numbers the change of a task `saved` (a CTE) changed; nothing when it changed none. */
const NUMBER_SAVED = `insert into "task_count" ("user_id", "tasks", "change_seq")
  select "user_id", 0, 1 from "saved"
  on conflict ("user_id") do update set "change_seq" = "task_count"."change_seq" + 1
  returning "change_seq"`;

/** Closes an owner's count (their account is gone): adds are refused until `closed_until`. */
const CLOSE_COUNT = `insert into "task_count" ("user_id", "tasks", "closed_until") values (?, 0, ?)
  on conflict ("user_id") do update set "tasks" = 0, "closed_until" = excluded."closed_until"`;

/** An erasure's deletions, one number each, after the owner's latest (their count row is locked). */
const RECORD_ERASED = `insert into "task_change" ("user_id", "task_id", "seq", "deleted", "changed_at")
  select "user_id", "id",
    (select "change_seq" from "task_count" where "user_id" = ?) + row_number() over (order by "id"),
    true, ?
  from "task" where "user_id" = ? ${ON_CHANGE_CONFLICT}`;
const COUNT_ERASED = `update "task_count"
  set "change_seq" = "change_seq" + (select count(*) from "task" where "user_id" = ?)
  where "user_id" = ?`;

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

  /** `clock` dates each recorded change, as the pruning of old deletions reads them. */
  constructor(
    private readonly orm: MikroORM,
    private readonly clock: Clock = new SystemClock(),
  ) {
    this.dialect = dialectOf(orm);
  }

  add(task: Task, maxPerOwner: number | null = null): Promise<AddOutcome> {
    return guardDatabase(() => this.em().transactional((em) => this.insert(em, task, maxPerOwner)));
  }

  private async insert(em: EntityManager, task: Task, maxPerOwner: number | null) {
    const snapshot = task.toSnapshot();
    const count = `${COUNT_ONE_MORE}${maxPerOwner === null ? '' : UNDER_LIMIT} returning "change_seq"`;
    const params: unknown[] = [snapshot.ownerId, snapshot.createdAt];
    if (maxPerOwner !== null) params.push(maxPerOwner);
    const counted = await this.numberChange(em, count, params, snapshot.id, false);
    if (!counted) return (await this.isClosed(em, snapshot)) ? 'owner-closed' : 'limit-reached';
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
    // On PostgreSQL a save is one statement: no transaction needed around it alone.
    if (!followUp && this.dialect === 'postgresql')
      return guardDatabase(() => this.save(this.em(), task, expectedVersion));
    return this.write(async (em) => {
      const outcome = await this.save(em, task, expectedVersion);
      if (outcome !== 'done' || !followUp) return outcome;
      const added = await this.insert(em, followUp.task, followUp.maxPerOwner);
      // The count refused the follow-up: the rollback takes the change with it.
      if (added !== 'added') throw new WriteRefused(added === 'limit-reached' ? added : 'missing');
      return 'done';
    });
  }

  /**
   * One conditional UPDATE (the version it read is still the stored one, or nothing is saved),
   * then the change it numbers. The task's row is locked first, so a write that lost the race
   * leaves without waiting for the owner's row; on PostgreSQL both are one statement, so the
   * task's row is held no longer than before the change feed (measured: held over three more
   * round trips, racing PATCHes of one task conflicted three times as often).
   */
  private async save(
    em: EntityManager,
    task: Task,
    expectedVersion: number,
  ): Promise<WriteOutcome> {
    const {
      id,
      ownerId,
      createdAt: _createdAt,
      ...changes
    } = toRow(task.toSnapshot(), this.dialect);
    const where = { id, ownerId, version: expectedVersion };
    if (this.dialect === 'postgresql') {
      const update = em.createQueryBuilder(TASK_ENTITY).update(changes).where(where);
      const { sql, bindings } = update.getKnexQuery().toSQL();
      const saved = `"saved" as (${sql} returning "user_id"), `;
      const statement = numberAndRecord(NUMBER_SAVED, false, saved);
      const rows = await em.execute<unknown[]>(statement, [...bindings, ownerId, id, this.now()]);
      if (rows.length > 0) return 'done';
    } else if ((await em.nativeUpdate(TASK_ENTITY, where, changes)) > 0) {
      await this.numberChange(em, nextChange(''), [ownerId], id, false);
      return 'done';
    }
    return (await this.exists(ownerId, id, em)) ? 'changed' : 'missing';
  }

  removeOwned(
    ownerId: string,
    taskId: string,
    versions?: readonly number[],
  ): Promise<WriteOutcome> {
    return this.write<WriteOutcome>(async (em) => {
      const where = versions
        ? { id: taskId, ownerId, version: { $in: [...versions] } }
        : { id: taskId, ownerId };
      if ((await em.nativeDelete(TASK_ENTITY, where)) === 0)
        return (await this.exists(ownerId, taskId, em)) ? 'changed' : 'missing';
      await this.numberChange(em, nextChange(ONE_LESS), [ownerId], taskId, true);
      return 'done';
    });
  }

  eraseOwner(ownerId: string, closedUntil: Date): Promise<void> {
    return guardDatabase(() =>
      this.em().transactional(async (em) => {
        // Updates and deletes lock a task's row, then the owner's: take them in that order too.
        if (this.dialect === 'postgresql')
          await em.execute('select 1 from "task" where "user_id" = ? for update', [ownerId]);
        // Then the count row: it waits for adds in flight to commit, and stops later ones.
        await em.execute(CLOSE_COUNT, [ownerId, closedUntil]);
        await em.execute(RECORD_ERASED, [ownerId, this.now(), ownerId]);
        await em.execute(COUNT_ERASED, [ownerId, ownerId]);
        await em.nativeDelete(TASK_ENTITY, { ownerId });
      }),
    );
  }

  /** Runs a write in a transaction; a WriteRefused rolls it back and answers its outcome. */
  private write<T extends UpdateOutcome>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return guardDatabase(async () => {
      try {
        return await this.em().transactional(work);
      } catch (error) {
        if (!(error instanceof WriteRefused)) throw error;
        return error.outcome as T;
      }
    });
  }

  /**
   * Numbers the owner's change with `numbering` (a statement returning "change_seq", or no row
   * when it refuses) and records it for the task; false when `numbering` refused.
   */
  private async numberChange(
    em: EntityManager,
    numbering: string,
    params: unknown[],
    taskId: string,
    deleted: boolean,
  ): Promise<boolean> {
    const ownerId = params[0];
    if (this.dialect === 'postgresql') {
      const sql = numberAndRecord(numbering, deleted);
      const rows = await em.execute<unknown[]>(sql, [...params, ownerId, taskId, this.now()]);
      return rows.length > 0;
    }
    const rows = await em.execute<{ change_seq: number | string }[]>(numbering, params);
    if (!rows[0]) return false;
    await em.execute(record(deleted), [ownerId, taskId, rows[0].change_seq, this.now()]);
    return true;
  }

  private now(): Date {
    return this.clock.now();
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
    return rows.map((row: Record<string, unknown>) => taskSnapshotOf(this.orm, row));
  }

  private em(): EntityManager {
    return this.orm.em.fork() as EntityManager;
  }
}

/** Thrown inside a transaction to roll it back: the write found the task changed or gone. */
class WriteRefused extends Error {
  constructor(readonly outcome: Exclude<UpdateOutcome, 'done'>) {
    super(outcome);
  }
}

export function dialectOf(orm: MikroORM): Dialect {
  return orm.em.getPlatform() instanceof PostgreSqlPlatform ? 'postgresql' : 'sqlite';
}

/** A row of the task table, read with SQL, as a snapshot (MikroORM maps each platform's types). */
export function taskSnapshotOf(orm: MikroORM, row: Record<string, unknown>): TaskSnapshot {
  return toSnapshot(orm.em.getComparator().mapResult(TASK_ENTITY, row) as unknown as StoredRow);
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
