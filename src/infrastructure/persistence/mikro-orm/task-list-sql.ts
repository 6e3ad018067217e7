import { priorityRank, PRIORITIES, type Priority } from '../../../domain/task/priority.js';
import type { TaskListQuery, TaskPosition } from '../../../domain/task/task-repository.port.js';
import { searchNeedle } from '../../../domain/task/task-search.js';
import { needleGramsOf, ownerTagsOf } from './search-keys.js';
import { SORT_COLUMNS } from './task.schema.js';

export type Dialect = 'postgresql' | 'sqlite';

/** Priorities by rank, so `sort=priority` orders high above low rather than alphabetically. */
const PRIORITY_RANK = `case "priority" ${PRIORITIES.map(
  (priority) => `when '${priority}' then ${priorityRank(priority)}`,
).join(' ')} end`;

/**
 * The WHERE, ORDER BY and LIMIT of one page of an owner's list, with its parameters. Hand-written:
 * the list is the hot path, and the row-value comparisons let the database seek straight into
 * the (user_id, column, id) index.
 */
export function listStatement(
  query: TaskListQuery,
  dialect: Dialect,
): { clause: string; params: unknown[] } {
  const conditions = ['"user_id" = ?'];
  const params: unknown[] = [query.ownerId];
  const where = (condition: string, ...values: unknown[]) => {
    conditions.push(condition);
    params.push(...values);
  };
  if (query.status !== 'all') where('"completed" = ?', query.status === 'completed');
  if (query.priorities?.length)
    where(`"priority" in (${placeholders(query.priorities)})`, ...query.priorities);
  if (query.tags?.length) {
    if (dialect === 'postgresql') {
      const keys = ownerTagsOf(query.ownerId, query.tags);
      where(`"owner_tags" @> array[${placeholders(keys)}]::text[]`, ...keys);
    } else for (const tag of query.tags) where(`instr(',' || "tags" || ',', ?) > 0`, `,${tag},`);
  }
  if (query.text !== undefined) {
    const needle = searchNeedle(query.text);
    if (dialect === 'postgresql') {
      // The grams find the owner's candidates in the index; LIKE keeps the real matches.
      const grams = needleGramsOf(query.ownerId, needle);
      if (grams.length > 0)
        where(`"search_grams" @> array[${placeholders(grams)}]::text[]`, ...grams);
      where(`"search_text" like ? escape '\\'`, `%${escapeLike(needle)}%`);
      // SQLite's LIKE ignores ASCII case, and it has no such index: instr does the same work.
    } else where('instr("search_text", ?) > 0', needle);
  }
  if (query.dueAfter) where('"due_at" >= ?', query.dueAfter);
  if (query.dueBefore) where('"due_at" < ?', query.dueBefore);
  if (query.overdueAt) where('"completed" = ? and "due_at" < ?', false, query.overdueAt);

  const direction = query.order === 'asc' ? 'asc' : 'desc';
  const after = query.after ? afterPosition(query, query.after) : null;
  if (after) where(after.condition, ...after.params);
  const column = query.sort === 'priority' ? PRIORITY_RANK : `"${SORT_COLUMNS[query.sort]}"`;
  // Tasks without a due date last in either order: false sorts before true.
  const nullsLast = query.sort === 'dueAt' ? '"due_at" is null, ' : '';
  return {
    clause: `where ${conditions.join(' and ')} order by ${nullsLast}${column} ${direction}, "id" ${direction} limit ?`,
    params: [...params, query.limit],
  };
}

/** Strictly after the last task of the previous page, in the query's order. */
function afterPosition(
  { sort, order }: TaskListQuery,
  { value, id }: TaskPosition,
): { condition: string; params: unknown[] } {
  const beyond = order === 'asc' ? '>' : '<';
  if (sort === 'dueAt') {
    // Undated tasks come after every dated one, ordered among themselves by id.
    if (value === null)
      return { condition: `("due_at" is null and "id" ${beyond} ?)`, params: [id] };
    return {
      condition: `(("due_at", "id") ${beyond} (?, ?) or "due_at" is null)`,
      params: [value, id],
    };
  }
  if (sort === 'priority') {
    const rank = priorityRank(value as Priority);
    return { condition: `((${PRIORITY_RANK}), "id") ${beyond} (?, ?)`, params: [rank, id] };
  }
  return { condition: `("${SORT_COLUMNS[sort]}", "id") ${beyond} (?, ?)`, params: [value, id] };
}

function placeholders(values: readonly unknown[]): string {
  return values.map(() => '?').join(', ');
}

/** A LIKE pattern matches `%`, `_` and `\` literally only when escaped. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}
