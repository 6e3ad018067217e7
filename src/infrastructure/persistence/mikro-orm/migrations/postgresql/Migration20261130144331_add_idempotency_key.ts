import { Migration } from '@mikro-orm/migrations';

export class Migration20261130144331_add_idempotency_key extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "idempotency_key" ("user_id" varchar(255) not null, "key" varchar(255) not null, "fingerprint" varchar(64) not null, "task_id" uuid not null, "started_at" timestamptz(3) not null, "expires_at" timestamptz(3) not null, "result" text null, constraint "idempotency_key_pkey" primary key ("user_id", "key"));`,
    );
    this.addSql(`create index "idempotency_key_expires_idx" on "idempotency_key" ("expires_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "idempotency_key" cascade;`);
  }
}
