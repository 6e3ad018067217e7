import type pg from 'pg';

export const LIST_INDEX = 'task_user_created_idx';

export interface ExplainResult {
  readonly plan: string;
  /** The plan reads the task table through LIST_INDEX (an index scan, forwards or backwards). */
  readonly usesIndex: boolean;
}

/**
 * The plan of the list query for `?limit=20` (newest first, one extra row to know whether another
 * page exists), word for word as the repository sends it (it inlines the owner id as a literal;
 * checked with `log_statement = 'all'`), with its real timings.
 */
export async function explainListQuery(db: pg.Client, ownerId: string): Promise<ExplainResult> {
  const { rows } = await db.query<{ 'QUERY PLAN': string }>(
    `explain (analyze, costs, buffers)
     select * from "task" where "user_id" = ${db.escapeLiteral(ownerId)}
     order by "created_at" desc, "id" desc limit 21`,
  );
  const plan = rows.map((row) => row['QUERY PLAN']).join('\n');
  return { plan, usesIndex: new RegExp(`Index (Only )?Scan.* using ${LIST_INDEX}`).test(plan) };
}
