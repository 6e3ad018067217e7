import { Migration } from '@mikro-orm/migrations';

/**
 * A title's length is the entity's rule (1–200 characters, counted after removing invisible
 * ones), which a CHECK cannot state; the column keeps the upper bound.
 */
export class Migration20261130142258_drop_task_title_check extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "task" drop constraint task_title_check;`);
  }

  // Hand-corrected: the generator mangled the constraint's expression it read back.
  override async down(): Promise<void> {
    this.addSql(
      `alter table "task" add constraint task_title_check check (char_length("title") between 1 and 200);`,
    );
  }
}
