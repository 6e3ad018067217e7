import { Migration } from '@mikro-orm/migrations';

/** Versions for guarded writes, and the per-owner count MAX_TASKS_PER_USER checks. */
export class Migration20261130143358_add_task_version_and_count extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`task_count\` (\`user_id\` text not null, \`tasks\` integer not null, primary key (\`user_id\`));`,
    );

    this.addSql(`alter table \`task\` add column \`version\` integer not null default 1;`);

    // Added by hand: a generator cannot know the counts of the tasks already stored.
    this.addSql(
      `insert into \`task_count\` (\`user_id\`, \`tasks\`) select \`user_id\`, count(*) from \`task\` group by \`user_id\`;`,
    );
  }
}
