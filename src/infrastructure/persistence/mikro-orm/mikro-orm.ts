import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { MikroORM, type Options } from '@mikro-orm/core';
import type SqliteDatabase from 'better-sqlite3';
import { BetterSqliteDriver } from '@mikro-orm/better-sqlite';
import { Migrator } from '@mikro-orm/migrations';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import {
  BETTER_AUTH_TABLES,
  DEFAULT_POOL_SIZE,
  UNBOUNDED_STATEMENTS,
  type DatabaseConfig,
  type DatabaseTimeouts,
} from '../../config/database-config.js';
import { CreateTaskTable } from './migrations/20261125000000-create-task-table.js';
import { GENERATED_MIGRATIONS as POSTGRESQL_MIGRATIONS } from './migrations/postgresql/index.js';
import { GENERATED_MIGRATIONS as SQLITE_MIGRATIONS } from './migrations/sqlite/index.js';
import { RateLimitCounterSchema } from './rate-limit-counter.schema.js';
import {
  IdempotencyKeySchema,
  TaskChangeSchema,
  TaskCountSchema,
  taskSchema,
} from './task.schema.js';
import { TokenRevocationSchema } from './token-revocation.schema.js';

/** Migrations are generated per dialect, into migrations/<dialect>/. */
export const MIGRATION_DIALECTS = ['postgresql', 'sqlite'] as const;
export type MigrationDialect = (typeof MIGRATION_DIALECTS)[number];

const FIRST_MIGRATION = { name: '20261125000000_create_task_table', class: CreateTaskTable };

function migrationsFor(dialect: MigrationDialect) {
  return {
    tableName: 'mikro_orm_migrations',
    migrationsList: [
      FIRST_MIGRATION,
      ...(dialect === 'postgresql' ? POSTGRESQL_MIGRATIONS : SQLITE_MIGRATIONS),
    ],
    transactional: true,
    allOrNothing: true,
    snapshot: false,
    emit: 'ts' as const,
  };
}

/**
 * The entities of a dialect; the task table has indexes only PostgreSQL knows, and only
 * PostgreSQL keeps a rate limit shared by several instances (SQLite serves one).
 */
function entitiesFor(dialect: MigrationDialect) {
  const everywhere = [
    taskSchema(dialect),
    TaskCountSchema,
    TaskChangeSchema,
    IdempotencyKeySchema,
    TokenRevocationSchema,
  ];
  return dialect === 'postgresql' ? [...everywhere, RateLimitCounterSchema] : everywhere;
}

const common = {
  extensions: [Migrator],
  schemaGenerator: { skipTables: BETTER_AUTH_TABLES },
  discovery: { warnWhenNoEntities: false },
  debug: false,
} satisfies Partial<Options>;

/** Fail fast while the database is away, so requests get a quick 503 instead of hanging. */
function poolOf(size: number, timeouts: DatabaseTimeouts) {
  return { min: 0, max: size, acquireTimeoutMillis: timeouts.acquireMs, idleTimeoutMillis: 30_000 };
}

/**
 * Each new SQLite connection: WAL (readers do not block the writer), a wait of up to 5 s for
 * another process's lock (a migration, a backup) instead of failing at once, and foreign keys
 * (MikroORM sets them only on the first connection; the pool reopens one after it idled).
 */
function prepareSqlite(
  connection: SqliteDatabase.Database,
  done: (error: Error | null, connection: SqliteDatabase.Database) => void,
) {
  try {
    connection.pragma('journal_mode = WAL');
    connection.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
    connection.pragma('foreign_keys = on');
    done(null, connection);
  } catch (error) {
    done(error as Error, connection);
  }
}

/** How long an SQLite statement waits for another process's lock. */
export const SQLITE_BUSY_TIMEOUT_MS = 5_000;

/** A raw pg client, as knex's pool creates it. */
interface RawPgClient {
  query(sql: string, callback: (error: Error | null) => void): void;
}

/**
 * Sets statement_timeout on each new connection with SQL, not as a startup parameter: poolers
 * such as PgBouncer (Neon's -pooler endpoint) refuse a connection that carries one.
 */
function limitStatements(statementMs: number) {
  return (client: RawPgClient, done: (error: Error | null, client: RawPgClient) => void) => {
    client.query(`set statement_timeout = ${Math.round(statementMs)}`, (error) =>
      done(error, client),
    );
  };
}

/** Where MikroORM's and its query builder's own messages go. */
export interface OrmLog {
  debug(message: string): void;
  warn(message: string): void;
}

const SILENT: OrmLog = { debug: () => undefined, warn: () => undefined };

/** Connects MikroORM to the configured database. */
export async function createOrm(
  database: DatabaseConfig,
  log: OrmLog = SILENT,
  timeouts: DatabaseTimeouts = UNBOUNDED_STATEMENTS,
): Promise<MikroORM> {
  const knexLog = { warn: log.warn, error: log.warn, deprecate: log.debug, debug: log.debug };
  const options = { ...common, logger: log.debug };
  if (database.kind === 'sqlite') {
    mkdirSync(dirname(database.path), { recursive: true });
    return MikroORM.init({
      ...options,
      // One connection, Better Auth's too: SQLite has one writer, and transactions on two
      // handles would collide.
      pool: { ...poolOf(1, timeouts), afterCreate: prepareSqlite },
      entities: entitiesFor('sqlite'),
      migrations: migrationsFor('sqlite'),
      driver: BetterSqliteDriver,
      dbName: database.path,
      driverOptions: { log: knexLog },
    });
  }
  return MikroORM.init({
    ...options,
    pool: {
      ...poolOf(database.poolSize ?? DEFAULT_POOL_SIZE, timeouts),
      ...(timeouts.statementMs === null
        ? {}
        : { afterCreate: limitStatements(timeouts.statementMs) }),
    },
    entities: entitiesFor('postgresql'),
    migrations: migrationsFor('postgresql'),
    driver: PostgreSqlDriver,
    clientUrl: database.url,
    driverOptions: {
      // pg reads the whole URL itself (sslmode, ssl, sslrootcert, …), exactly as for Better
      // Auth's pool and the migration lock; MikroORM's own parsing keeps only host and login.
      connection: { connectionString: database.url, connectionTimeoutMillis: 5_000 },
      log: knexLog,
    },
  });
}

/** Applies the task table's pending migrations. */
export async function migrateTasks(orm: MikroORM): Promise<void> {
  if (!(orm.em.getDriver() instanceof PostgreSqlDriver)) {
    await orm.getMigrator().up();
    return;
  }
  const connection = orm.em.getConnection();
  await connection.transactional(async (transaction) => {
    // statement_timeout bounds requests; a migration may build an index over every task.
    await connection.execute('set local statement_timeout = 0', [], 'run', transaction);
    await orm.getMigrator().up({ transaction });
  });
}
