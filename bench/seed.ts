import type pg from 'pg';
import { CALLER_TASKS, DEFAULT_TASKS, USERS } from './settings.js';

/** The title of every task a row posts, so that they can be removed before the next row. */
export const POSTED_TITLE = 'bench post';

/**
 * What seeded tasks are made of. ASCII only, so that PostgreSQL's lower() computes the search
 * text `searchTextOf` (JavaScript's toLowerCase) would; no word contains a search term but its
 * own. A task's words, tags and dates follow from its number (`i`): every run seeds the same table.
 */
// prettier-ignore
const VERBS = ['Review', 'Fix', 'Update', 'Plan', 'Write', 'Call', 'Send', 'Check', 'Prepare',
  'Clean', 'Book', 'Order'];
/** The second word of every title, in turn (`i % 16`): each in 1 title out of 16, 6 %. */
// prettier-ignore
const NOUNS = ['invoice', 'report', 'garden', 'budget', 'meeting', 'kitchen', 'newsletter',
  'roadmap', 'dentist', 'laptop', 'flight', 'contract', 'backup', 'slides', 'groceries',
  'insurance'];
// prettier-ignore
const ENDINGS = ['for March', 'before Friday', 'with Anna', 'again', 'draft', 'v2', 'today',
  'next week', 'for the team', 'at home'];
/** Six per description (three tasks in four have one, `i % 4 ≠ 0`). */
// prettier-ignore
const WORDS = ['ask', 'about', 'the', 'schedule', 'bring', 'notes', 'call', 'back', 'after',
  'lunch', 'check', 'numbers', 'twice', 'share', 'with', 'team', 'keep', 'receipts', 'update',
  'status', 'print', 'copies', 'email', 'summary', 'order', 'parts', 'confirm', 'dates', 'pay',
  'online', 'sign', 'form', 'water', 'plants', 'charge', 'battery', 'pack', 'bags', 'read',
  'chapter'];
/** Each on 1 task in 10, independently (about one tag per task). */
// prettier-ignore
const TAGS = ['work', 'home', 'errands', 'finance', 'health', 'family', 'urgent', 'someday',
  'reading', 'travel'];

/** In 1 title out of 16: 12 or 13 of the caller's 200 tasks. */
export const COMMON_TERM = 'invoice';
/** Two words, in 1 title out of 80 (`invoice for March`, `… for the team`): 6 of the caller's. */
export const PHRASE = 'invoice for';
/** In 1 description out of 100 (`i % 100 = 50`): 2 of the caller's tasks. */
export const RARE_TERM = 'escalation';
/** On 1 task in 10 (about 20 of the caller's). */
export const COMMON_TAG = 'finance';

/** The other users' ids: bench-user-0001 … bench-user-0999. */
const OTHER_USER = `'bench-user-' || lpad((1 + (i % ${USERS - 1}))::text, 4, '0')`;
/** The caller's task `i` (1 to 200) was created `i` hours ago, the others' task `i` seconds ago. */
const CALLER_CREATED_AT = 'now() - make_interval(hours => i)';
const OTHER_CREATED_AT = 'now() - make_interval(secs => i)';

/** The users besides the caller, and the first 1 000 tasks, the caller's 200 among them. */
export async function seed(db: pg.Client, callerId: string): Promise<void> {
  await seedUsers(db);
  await growTasksTo(db, callerId, DEFAULT_TASKS);
}

/**
 * Brings the table to what a row asks for: the caller's 200 tasks among `total`. Tasks posted by
 * earlier rows go first; the table only grows, so rows are ordered by the size they ask for.
 */
export async function prepareTasks(db: pg.Client, callerId: string, total: number): Promise<void> {
  await removePostedTasks(db, callerId);
  const current = await countTasks(db);
  if (current > total) throw new Error(`the table holds ${current} tasks, more than ${total}`);
  await growTasksTo(db, callerId, total);
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

/**
 * Adds other users' tasks until the table holds `total` rows, in one `insert … select … from
 * generate_series`. The caller's 200 tasks (their `i` is 1 to 200, the others' above) are
 * written again among the new rows, one every `total / 200` or so: a real user's tasks lie all
 * over the table, and what a GIN index reads for them depends on it (the first 200 rows of the
 * heap would be read as one page range). For a large batch the primary key and the indexes are
 * dropped first and rebuilt after, from their own definitions in the catalogue: one sort per
 * index instead of a million random inserts.
 */
async function growTasksTo(db: pg.Client, callerId: string, total: number): Promise<void> {
  const current = await countTasks(db);
  if (total <= current) return;
  const { rowCount } = await db.query('delete from "task" where "user_id" = $1', [callerId]);
  const others = current - (rowCount ?? 0);
  const rows = total - others;
  const bulk = rows >= 200_000;
  const rebuild = bulk ? await secondaryIndexes(db) : [];
  const primaryKey = bulk ? await primaryKeyOf(db) : null;
  for (const index of rebuild) await db.query(`drop index "${index.name}"`);
  if (primaryKey) await db.query(`alter table "task" drop constraint "${primaryKey.name}"`);
  // Row `p` of the batch is the caller's task `p / every` when `p` is a multiple of `every`,
  // else the next of the others' (whose `i` continue from the last one written).
  const every = Math.floor(rows / CALLER_TASKS);
  await insertTasks(
    db,
    `select i, case when caller then $4::text else ${OTHER_USER} end as "user_id",
            case when caller then ${CALLER_CREATED_AT} else ${OTHER_CREATED_AT} end as "created_at"
     from (
       select caller, case when caller then p / $3 else $1 + p - least(p / $3, $5) end as i
       from (select p, p % $3 = 0 and p / $3 <= $5 as caller
             from generate_series(1, $2::int) as p) as slots
     ) as numbered`,
    [CALLER_TASKS + others, rows, every, callerId, CALLER_TASKS],
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
  await recountTasks(db);
  await analyze(db);
}

/**
 * The tasks `numbered` yields (its `i`, `user_id` and `created_at`), in table order: titles,
 * descriptions (a quarter without), priorities, tags, due dates (half without) and completion
 * (a third) follow from `i`; the search text is computed as `searchTextOf` does.
 */
async function insertTasks(db: pg.Client, numbered: string, params: unknown[]): Promise<void> {
  /** A deterministic pseudo-random number from 0 to 2^31 - 1 for task `i`, one per `salt`. */
  const hash = (salt: number) => `(hashint4(i * 64 + ${salt}) & 2147483647)`;
  const pick = (words: readonly string[], salt: number) =>
    `(${sqlArray(words)})[1 + ${hash(salt)} % ${words.length}]`;
  const sentence = WORDS.slice(0, 6).map((_, k) => pick(WORDS, 10 + k));
  const tags = TAGS.map((tag, k) => `case when ${hash(30 + k)} % 10 = 0 then '${tag}' end`);
  await db.query(
    `insert into "task" ("id", "user_id", "title", "description", "completed", "priority",
                         "tags", "due_at", "completed_at", "created_at", "updated_at", "version",
                         "search_text")
     select gen_random_uuid(), "user_id", "title", "description", "completed", "priority", "tags",
            "due_at", case when "completed" then "updated_at" end, "created_at", "updated_at", 1,
            lower("title" || E'\\n' || coalesce("description", ''))
     from (
       select "user_id", "created_at",
              ${pick(VERBS, 1)} || ' ' || (${sqlArray(NOUNS)})[1 + i % ${NOUNS.length}] || ' '
                || ${pick(ENDINGS, 2)} as "title",
              case when i % 4 = 0 then null
                   else 'Notes: ' || ${sentence.join(` || ' ' || `)} || '.'
                        || case when i % 100 = 50 then ' Needs ${RARE_TERM}.' else '' end
              end as "description",
              i % 3 = 0 as "completed",
              case when ${hash(3)} % 10 < 3 then 'low' when ${hash(3)} % 10 < 8 then 'medium'
                   else 'high' end as "priority",
              array_remove(array[${tags.join(', ')}]::text[], null) as "tags",
              case when ${hash(4)} % 2 = 0 then null
                   else date_trunc('day', "created_at")
                        + make_interval(days => ${hash(5)} % 60, hours => 17)
              end as "due_at",
              least(now(), "created_at" + make_interval(secs => ${hash(6)} % 3600)) as "updated_at"
       from (${numbered}) as numbered
     ) as t`,
    params,
  );
}

/** A list of plain words as an SQL array literal. */
function sqlArray(words: readonly string[]): string {
  for (const word of words) {
    if (!/^[A-Za-z0-9 ]+$/.test(word)) throw new Error(`not a plain word: ${word}`);
  }
  return `array[${words.map((word) => `'${word}'`).join(', ')}]`;
}

/** Each owner's row in `task_count`, as the repository keeps it (MAX_TASKS_PER_USER). */
async function recountTasks(db: pg.Client): Promise<void> {
  await db.query(
    `insert into "task_count" ("user_id", "tasks")
     select "user_id", count(*)::int from "task" group by "user_id"
     on conflict ("user_id") do update set "tasks" = excluded."tasks"`,
  );
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
  await recountTasks(db);
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
