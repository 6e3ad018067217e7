import { Migration } from '@mikro-orm/migrations';

export class Migration20261130153703_add_token_revocation extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "token_revocation" ("kind" varchar(16) not null, "subject" varchar(255) not null, "issued_before" bigint null, "expires_at" timestamptz(3) not null, "recorded_at" timestamptz(3) not null, constraint "token_revocation_pkey" primary key ("kind", "subject"));`,
    );
    this.addSql(
      `create index "token_revocation_recorded_idx" on "token_revocation" ("recorded_at");`,
    );
    this.addSql(
      `create index "token_revocation_expires_idx" on "token_revocation" ("expires_at");`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "token_revocation" cascade;`);
  }
}
