import { Migration } from '@mikro-orm/migrations';

export class Migration20261130163922_add_task_count_closed_until extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table \`task_count\` add column \`closed_until\` datetime null;`);
  }
}
