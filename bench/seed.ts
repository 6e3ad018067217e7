import type pg from 'pg';
import { CALLER_TASKS, USERS } from './settings.js';

/** The title of every task a row posts, so that they can be removed before the next row. */
export const POSTED_TITLE = 'bench post';

/** The other users' ids: bench-user-0001 … bench-user-0999. */
const OTHER_USER = `'bench-user-' || lpad((1 + (i % ${USERS - 1}))::text, 4, '0')`;

/** The users besides the caller, and the caller's tasks: what every row starts from. */
export async function seed(db: pg.Client, callerId: string): Promise<void> {
  await seedUsers(db);
  await seedCallerTasks(db, callerId);
}

/**
 * Brings the table to what a row asks for: the caller's 200 tasks among `total`. Tasks posted by
 * earlier rows go first; the table only grows, so rows are ordered by the size they ask for.
 */
export async function prepareTasks(db: pg.Client, callerId: string, total: number): Promise<void> {
  await removePostedTasks(db, callerId);
  const current = await countTasks(db);
  if (current > total) throw new Error(`the table holds ${current} tasks, more than ${total}`);
  await growTasksTo(db, total);
  const owned = await countTasks(db, callerId);
  if (owned !== CALLER_TASKS) throw new Error(`the caller owns ${owned} tasks`);
}

/** The id of the caller's newest task, for rows that address one task (GET, PATCH …). */
export async function newestTaskOf(db: pg.Client, callerId: string): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    'select "id" from "task" where "user_id" = $1 order by "created_at" desc, "id" desc limit 1',
    [callerId],
  );
  if (!rows[0]) throw new Error('the caller owns no task');
  return rows[0].id;
}

/** The 999 users besides the caller, straight into Better Auth's user table. */
async function seedUsers(db: pg.Client): Promise<void> {
  await db.query(
    `insert into "user" ("id", "name", "email", "emailVerified", "createdAt", "updatedAt")
     select 'bench-user-' || lpad(i::text, 4, '0'), 'Bench User ' || i,
            'bench.user.' || i || '@example.com', false, now(), now()
     from generate_series(1, $1::int) as i`,
    [USERS - 1],
  );
}

/** The caller's 200 tasks, spread over the last 200 hours, a third of them completed. */
async function seedCallerTasks(db: pg.Client, callerId: string): Promise<void> {
  await db.query(
    `insert into "task" ("id", "user_id", "title", "description", "completed", "created_at", "updated_at")
     select gen_random_uuid(), $1, 'Caller task ' || i, 'Details of caller task ' || i, i % 3 = 0,
            now() - make_interval(hours => i), now() - make_interval(hours => i)
     from generate_series(1, $2::int) as i`,
    [callerId, CALLER_TASKS],
  );
}

/**
 * Adds other users' tasks until the table holds `total` rows (insert … select … generate_series).
 * For a large batch the primary key and the indexes are dropped first and rebuilt after, from
 * their own definitions in the catalogue: one sort per index instead of a million random inserts.
 */
async function growTasksTo(db: pg.Client, total: number): Promise<number> {
  const current = await countTasks(db);
  const missing = total - current;
  if (missing <= 0) return current;
  const bulk = missing >= 200_000;
  const rebuild = bulk ? await secondaryIndexes(db) : [];
  const primaryKey = bulk ? await primaryKeyOf(db) : null;
  for (const index of rebuild) await db.query(`drop index "${index.name}"`);
  if (primaryKey) await db.query(`alter table "task" drop constraint "${primaryKey.name}"`);
  await db.query(
    `insert into "task" ("id", "user_id", "title", "description", "completed", "created_at", "updated_at")
     select gen_random_uuid(), ${OTHER_USER}, 'Task ' || i,
            case when i % 4 = 0 then null else 'Details of task ' || i end, i % 3 = 0,
            now() - make_interval(secs => i), now() - make_interval(secs => i)
     from generate_series($1::int + 1, $1::int + $2::int) as i`,
    [current, missing],
  );
  if (bulk) {
    await db.query(`set maintenance_work_mem = '256MB'`);
    if (primaryKey) {
      await db.query(
        `alter table "task" add constraint "${primaryKey.name}" ${primaryKey.definition}`,
      );
    }
    for (const index of rebuild) await db.query(index.definition);
    await db.query('reset maintenance_work_mem');
  }
  await analyze(db);
  return countTasks(db);
}

/**
 * Removes what POST rows created. Requests still in flight when the load generator stopped may
 * land a moment later: wait until the count holds. The indexes are then rebuilt, emptied of the
 * deleted entries: with a bloated index the planner rightly prefers reading 1 000 rows in
 * sequence, and the list rows would measure that instead of the table a fresh seed gives.
 */
async function removePostedTasks(db: pg.Client, callerId: string): Promise<void> {
  const posted = async () => {
    const { rows } = await db.query<{ n: string }>(
      'select count(*) as n from "task" where "user_id" = $1 and "title" = $2',
      [callerId, POSTED_TITLE],
    );
    return Number(rows[0]?.n ?? 0);
  };
  let now = await posted();
  if (now === 0) return;
  for (let before = -1; now !== before; before = now, now = await posted()) {
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  await db.query('delete from "task" where "user_id" = $1 and "title" = $2', [
    callerId,
    POSTED_TITLE,
  ]);
  await db.query('reindex table "task"');
  await analyze(db);
}

/** VACUUM as well as ANALYZE: fresh statistics, and no autovacuum starting mid-row. */
async function analyze(db: pg.Client): Promise<void> {
  await db.query('vacuum (analyze) "task"');
}

async function countTasks(db: pg.Client, ownerId?: string): Promise<number> {
  const { rows } = await db.query<{ n: string }>(
    ownerId === undefined
      ? 'select count(*) as n from "task"'
      : 'select count(*) as n from "task" where "user_id" = $1',
    ownerId === undefined ? [] : [ownerId],
  );
  return Number(rows[0]?.n ?? 0);
}

async function primaryKeyOf(db: pg.Client): Promise<{ name: string; definition: string } | null> {
  const { rows } = await db.query<{ name: string; definition: string }>(
    `select conname as name, pg_get_constraintdef(oid) as definition
     from pg_constraint where conrelid = '"task"'::regclass and contype = 'p'`,
  );
  return rows[0] ?? null;
}

async function secondaryIndexes(db: pg.Client): Promise<{ name: string; definition: string }[]> {
  const { rows } = await db.query<{ name: string; definition: string }>(
    `select i.indexname as name, i.indexdef as definition
     from pg_indexes i
     where i.schemaname = current_schema() and i.tablename = 'task'
       and i.indexname not in (select conname from pg_constraint where conrelid = '"task"'::regclass)`,
  );
  return rows;
}
