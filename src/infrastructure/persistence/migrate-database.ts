import pg from 'pg';
import type { DatabaseConfig } from '../config/database-config.js';

/** Any fixed number: instances starting together queue on this lock instead of racing. */
const MIGRATION_LOCK_ID = 727_311_904;
const LOCK_TIMEOUT_SECONDS = 120;

/** The migrators of the adapters in use; null for one that does not run here. */
export interface MigrationSteps {
  /** Better Auth's tables, through its own migrator. */
  readonly auth: (() => Promise<void>) | null;
  /** The task table, through MikroORM's. */
  readonly tasks: (() => Promise<void>) | null;
}

/**
 * Brings the schema up to date: Better Auth's tables first, then the task table. On PostgreSQL an
 * advisory lock serialises concurrent instances.
 */
export async function migrateDatabase(
  database: DatabaseConfig,
  steps: MigrationSteps,
): Promise<void> {
  const run = async () => {
    await steps.auth?.();
    await steps.tasks?.();
  };
  if (database.kind === 'sqlite') return run();
  const client = new pg.Client({ connectionString: database.url, connectionTimeoutMillis: 10_000 });
  client.on('error', () => undefined); // a lost connection fails the queries below instead
  await client.connect();
  try {
    // A transaction-scoped lock: it stays on one server connection even behind a pooler in
    // transaction mode (Neon's -pooler endpoint), and it cannot outlive a crashed instance.
    await client.query('begin');
    await client.query(`set local lock_timeout = '${LOCK_TIMEOUT_SECONDS}s'`);
    await client.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK_ID]).catch((error) => {
      throw new Error(
        `another instance held the migration lock for over ${LOCK_TIMEOUT_SECONDS} s; is one stuck?`,
        { cause: error },
      );
    });
    await run();
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}
