import { Migration } from '@mikro-orm/migrations';

export class Migration20261208000101_add_rate_limit extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "task_api_rate_limit" ("key" varchar(255) not null, "points" int not null default 0, "expire" bigint null, constraint "task_api_rate_limit_pkey" primary key ("key"));`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "task_api_rate_limit" cascade;`);
  }
}
