import type { MikroORM } from '@mikro-orm/core';
import pg from 'pg';
import type { DatabaseConfig } from '../config/database-config.js';
import { migrateTasks } from './mikro-orm/mikro-orm.js';

/** Any fixed number: instances starting together queue on this lock instead of racing. */
const MIGRATION_LOCK_ID = 727_311_904;

/**
 * Brings the schema up to date: Better Auth's tables through its own migrator (when it runs
 * here), then the task table through MikroORM's. On PostgreSQL an advisory lock serialises
 * concurrent instances.
 */
export async function migrateDatabase(
  database: DatabaseConfig,
  orm: MikroORM,
  migrateAuth: (() => Promise<void>) | null,
): Promise<void> {
  const run = async () => {
    await migrateAuth?.();
    await migrateTasks(orm);
  };
  if (database.kind === 'sqlite') return run();
  const client = new pg.Client({ connectionString: database.url, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    await run();
  } finally {
    await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]).catch(() => undefined);
    await client.end();
  }
}
