import type { MikroORM } from '@mikro-orm/core';
import type {
  TaskChange,
  TaskChangeFeed,
} from '../../../application/tasks/task-change-feed.port.js';
import { Task } from '../../../domain/task/task.js';
import { guardDatabase } from '../database-errors.js';
import { taskSnapshotOf } from './mikro-orm-task-repository.js';

/**
 * Each task's latest change with the task as it is now, in one statement: one snapshot, so a
 * change is never shown with a state older than itself, nor a deletion beside its task.
 */
const CHANGES = `select c."seq" as "change_seq", c."task_id" as "change_task_id", t.*
  from "task_change" c
  left join "task" t on t."id" = c."task_id" and t."user_id" = c."user_id"
  where c."user_id" = ? and c."seq" > ?`;
const SKIP_OLD_DELETIONS = ` and (not c."deleted" or c."seq" > ?)`;
const IN_ORDER = ` order by c."seq" limit ?`;

const PRUNE_DELETED = `delete from "task_change" where ("user_id", "task_id") in
  (select "user_id", "task_id" from "task_change" where "deleted" and "changed_at" < ?
   order by "changed_at" limit ?)`;

/** The change feed the MikroORM task repository records, in PostgreSQL or SQLite. */
export class MikroOrmTaskChangeFeed implements TaskChangeFeed {
  constructor(private readonly orm: MikroORM) {}

  changesSince(
    ownerId: string,
    afterSeq: number,
    limit: number,
    options: { readonly deletionsAbove?: number } = {},
  ): Promise<TaskChange[]> {
    return guardDatabase(async () => {
      const { deletionsAbove } = options;
      const sql = `${CHANGES}${deletionsAbove === undefined ? '' : SKIP_OLD_DELETIONS}${IN_ORDER}`;
      const params: unknown[] = [ownerId, afterSeq];
      if (deletionsAbove !== undefined) params.push(deletionsAbove);
      params.push(limit);
      const rows = await this.orm.em
        .getConnection()
        .execute<Record<string, unknown>[]>(sql, params);
      return rows.map(
        ({ change_seq, change_task_id, ...task }: Record<string, unknown>): TaskChange => {
          const seq = Number(change_seq);
          if (task.id === null) return { seq, deletedId: String(change_task_id) };
          return { seq, task: Task.fromSnapshot(taskSnapshotOf(this.orm, task)) };
        },
      );
    });
  }

  latestSeq(ownerId: string): Promise<number> {
    return guardDatabase(async () => {
      const rows = await this.orm.em
        .getConnection()
        .execute<{ change_seq: number | string }[]>(
          'select "change_seq" from "task_count" where "user_id" = ?',
          [ownerId],
        );
      return rows[0] ? Number(rows[0].change_seq) : 0;
    });
  }

  pruneDeleted(before: Date, batch: number): Promise<number> {
    return guardDatabase(async () => {
      const result = await this.orm.em
        .getConnection()
        .execute<{ affectedRows?: number }>(PRUNE_DELETED, [before, batch], 'run');
      return result.affectedRows ?? 0;
    });
  }
}
