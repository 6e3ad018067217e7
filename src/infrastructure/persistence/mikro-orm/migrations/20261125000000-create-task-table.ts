import { Migration } from '@mikro-orm/migrations';
import { PostgreSqlPlatform } from '@mikro-orm/postgresql';

/**
 * The task table, as the first release created it: written by hand, before migrations were
 * generated from TaskSchema, and kept unchanged because databases have applied it. Every later
 * migration is generated (npm run migration:create).
 *
 * The task table. Titles use the "C" collation in PostgreSQL so they sort by code point, as they
 * do in SQLite; each index serves one sort order of the owner's list, with the id as tie-breaker.
 */
export class CreateTaskTable extends Migration {
  override async up(): Promise<void> {
    const postgres = this.driver.getPlatform() instanceof PostgreSqlPlatform;
    for (const sql of postgres ? POSTGRES : SQLITE) this.addSql(sql);
  }
}

const INDEXES = [
  'create index "task_user_created_idx" on "task" ("user_id", "created_at", "id")',
  'create index "task_user_updated_idx" on "task" ("user_id", "updated_at", "id")',
  'create index "task_user_title_idx" on "task" ("user_id", "title", "id")',
];

const POSTGRES = [
  `create table "task" (
    "id" uuid primary key,
    "user_id" varchar(255) not null,
    "title" varchar(200) collate "C" not null check (char_length("title") between 1 and 200),
    "description" varchar(1000) null,
    "completed" boolean not null default false,
    "created_at" timestamptz(3) not null,
    "updated_at" timestamptz(3) not null
  )`,
  ...INDEXES,
];

// As MikroORM's SQLite platform declares it, so its schema diff finds nothing to change.
const SQLITE = [
  `create table "task" (
    "id" text not null,
    "user_id" text not null,
    "title" text not null,
    "description" text null,
    "completed" integer not null default false,
    "created_at" datetime not null,
    "updated_at" datetime not null,
    primary key ("id")
  )`,
  ...INDEXES,
];
