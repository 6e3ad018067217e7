import type { Migration } from '@mikro-orm/migrations';
import { searchTextOf } from '../../../../domain/task/task-search.js';
import { searchGramsOf } from '../search-keys.js';

const BATCH = 500;

/**
 * Fills the columns a task gained with issue #12 for tasks stored before it: the search text
 * (lower-cased in JavaScript exactly as new rows are, so a search finds old and new alike) and,
 * on PostgreSQL, its index keys; and the completion time of completed tasks (their last change:
 * the best there is). Their tags are empty, as the column defaults say.
 */
export async function backfillTaskOrganizing(
  migration: Migration,
  dialect: 'postgresql' | 'sqlite',
): Promise<void> {
  await migration.execute(
    `update "task" set "completed_at" = "updated_at" where "completed" = ? and "completed_at" is null`,
    [true],
  );
  for (;;) {
    const rows = (await migration.execute(
      `select "id", "user_id", "title", "description" from "task" where "search_text" = '' limit ${BATCH}`,
    )) as { id: string; user_id: string; title: string; description: string | null }[];
    for (const row of rows) {
      const searchText = searchTextOf(row);
      if (dialect === 'sqlite') {
        await migration.execute(`update "task" set "search_text" = ? where "id" = ?`, [
          searchText,
          row.id,
        ]);
        continue;
      }
      // Grams are letters and digits behind a hex owner key: a plain array literal holds them.
      const grams = `{${searchGramsOf(row.user_id, searchText).join(',')}}`;
      await migration.execute(
        `update "task" set "search_text" = ?, "search_grams" = ?::text[] where "id" = ?`,
        [searchText, grams, row.id],
      );
    }
    if (rows.length < BATCH) return;
  }
}
