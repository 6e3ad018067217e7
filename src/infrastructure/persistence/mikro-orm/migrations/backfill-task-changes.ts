/**
 * Added by hand to the generated migrations of both dialects: every task stored before the change
 * feed gets a change, numbered per owner in the order they were last written, so that a full sync
 * shows it and the owner's next write is numbered after it.
 */
export const BACKFILL_TASK_CHANGES = [
  `insert into "task_change" ("user_id", "task_id", "seq", "deleted", "changed_at")
   select "user_id", "id", row_number() over (partition by "user_id" order by "updated_at", "id"),
     false, "updated_at"
   from "task" where true`,
  `insert into "task_count" ("user_id", "tasks", "change_seq")
   select "user_id", count(*), count(*) from "task" where true group by "user_id"
   on conflict ("user_id") do update set "change_seq" = excluded."change_seq"`,
];
