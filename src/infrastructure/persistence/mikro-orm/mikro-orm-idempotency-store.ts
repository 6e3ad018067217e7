import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import type {
  IdempotencyStore,
  IdempotentCreate,
  NewIdempotentCreate,
} from '../../../application/tasks/idempotency-store.port.js';
import type { TaskView } from '../../../application/tasks/task.view.js';
import { guardDatabase } from '../database-errors.js';
import { IdempotencyKeySchema, type IdempotencyKeyRow } from './task.schema.js';

/**
 * Claims a key in one statement: a new row, or an expired one taken over; `returning` answers
 * only when the claim succeeded. A live row is left as it is.
 */
const CLAIM = `insert into "idempotency_key"
    ("user_id", "key", "fingerprint", "task_id", "started_at", "expires_at", "result")
  values (?, ?, ?, ?, ?, ?, null)
  on conflict ("user_id", "key") do update set
    "fingerprint" = excluded."fingerprint", "task_id" = excluded."task_id",
    "started_at" = excluded."started_at", "expires_at" = excluded."expires_at", "result" = null
  where "idempotency_key"."expires_at" <= ?
  returning "task_id"`;

/**
 * Keeps the owner's newest keys (the offset's + 1 that expire last) and drops the older ones, in
 * one statement: the subquery walks at most that many entries of the owner's index, and finds no
 * row, so nothing is deleted, while the owner is under the cap.
 */
const DROP_OLDEST = `delete from "idempotency_key" where "user_id" = ? and ("expires_at", "key") <
  (select "expires_at", "key" from "idempotency_key" where "user_id" = ?
   order by "expires_at" desc, "key" desc limit 1 offset ?)`;

const PURGE = `delete from "idempotency_key" where ("user_id", "key") in
  (select "user_id", "key" from "idempotency_key" where "expires_at" <= ?
   order by "expires_at" limit ?)`;

/** Idempotency keys in the `idempotency_key` table, shared by every instance. */
export class MikroOrmIdempotencyStore implements IdempotencyStore {
  constructor(private readonly orm: MikroORM) {}

  claim(ownerId: string, key: string, entry: NewIdempotentCreate, maxPerOwner: number) {
    return guardDatabase(async () => {
      // The held row can expire or be purged between the two statements: then claim again.
      for (;;) {
        const { fingerprint, taskId, startedAt, expiresAt } = entry;
        const params = [ownerId, key, fingerprint, taskId, startedAt, expiresAt, startedAt];
        const claimed = await this.em().execute<unknown[]>(CLAIM, params);
        if (claimed.length > 0) {
          // After the claim's commit, so that of concurrent claims the last to drop sees them all.
          await this.em().execute(DROP_OLDEST, [ownerId, ownerId, maxPerOwner - 1], 'run');
          return { claimed: true, entry: { fingerprint, taskId, startedAt, result: null } };
        }
        const held = await this.find(ownerId, key);
        if (held) return { claimed: false, entry: held };
      }
    });
  }

  complete(ownerId: string, key: string, result: TaskView): Promise<void> {
    return guardDatabase(async () => {
      await this.em().nativeUpdate(
        IdempotencyKeySchema,
        { ownerId, key, taskId: result.id },
        { result: JSON.stringify(result) },
      );
    });
  }

  abandon(ownerId: string, key: string, taskId: string): Promise<void> {
    return guardDatabase(async () => {
      await this.em().nativeUpdate(
        IdempotencyKeySchema,
        { ownerId, key, taskId, result: null },
        { startedAt: new Date(0) },
      );
    });
  }

  takeOver(ownerId: string, key: string, staleBefore: Date, now: Date): Promise<boolean> {
    return guardDatabase(async () => {
      const where = { ownerId, key, result: null, startedAt: { $lt: staleBefore } };
      return (await this.em().nativeUpdate(IdempotencyKeySchema, where, { startedAt: now })) > 0;
    });
  }

  removeAllOwned(ownerId: string): Promise<void> {
    return guardDatabase(async () => {
      await this.em().nativeDelete(IdempotencyKeySchema, { ownerId });
    });
  }

  purgeExpired(now: Date, limit: number): Promise<number> {
    return guardDatabase(async () => {
      const result = await this.em().execute<{ affectedRows?: number }>(PURGE, [now, limit], 'run');
      return result.affectedRows ?? 0;
    });
  }

  private async find(ownerId: string, key: string): Promise<IdempotentCreate | null> {
    const rows = await this.em().execute<Record<string, unknown>[]>(
      'select * from "idempotency_key" where "user_id" = ? and "key" = ?',
      [ownerId, key],
    );
    if (!rows[0]) return null;
    const row = this.orm.em
      .getComparator()
      .mapResult(IdempotencyKeySchema.meta.className, rows[0]) as unknown as IdempotencyKeyRow;
    return {
      fingerprint: row.fingerprint,
      taskId: row.taskId,
      startedAt: row.startedAt,
      result: row.result === null ? null : (JSON.parse(row.result) as TaskView),
    };
  }

  private em(): EntityManager {
    return this.orm.em.fork() as EntityManager;
  }
}
