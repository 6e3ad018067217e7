import type { Migration } from '@mikro-orm/migrations';
import { searchTextOf } from '../../../../domain/task/task-search.js';

const BATCH = 500;

/**
 * Fills the columns a task gained with issue #12 for tasks stored before it: the search text
 * (lower-cased in JavaScript exactly as new rows are, so a search finds old and new alike), and
 * the completion time of completed tasks (their last change: the best there is).
 */
export async function backfillTaskOrganizing(migration: Migration): Promise<void> {
  await migration.execute(
    `update "task" set "completed_at" = "updated_at" where "completed" = ? and "completed_at" is null`,
    [true],
  );
  for (;;) {
    const rows = (await migration.execute(
      `select "id", "title", "description" from "task" where "search_text" = '' limit ${BATCH}`,
    )) as { id: string; title: string; description: string | null }[];
    for (const row of rows) {
      await migration.execute(`update "task" set "search_text" = ? where "id" = ?`, [
        searchTextOf(row),
        row.id,
      ]);
    }
    if (rows.length < BATCH) return;
  }
}
