import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { MikroORM, type Options } from '@mikro-orm/core';
import { BetterSqliteDriver } from '@mikro-orm/better-sqlite';
import { Migrator } from '@mikro-orm/migrations';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import {
  BETTER_AUTH_TABLES,
  DEFAULT_POOL_SIZE,
  type DatabaseConfig,
} from '../../config/database-config.js';
import { CreateTaskTable } from './migrations/20261125000000-create-task-table.js';
import { GENERATED_MIGRATIONS as POSTGRESQL_MIGRATIONS } from './migrations/postgresql/index.js';
import { GENERATED_MIGRATIONS as SQLITE_MIGRATIONS } from './migrations/sqlite/index.js';
import { IdempotencyKeySchema, TaskCountSchema, taskSchema } from './task.schema.js';
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

/** The entities of a dialect; the task table has indexes only PostgreSQL knows. */
function entitiesFor(dialect: MigrationDialect) {
  return [taskSchema(dialect), TaskCountSchema, IdempotencyKeySchema, TokenRevocationSchema];
}

const common = {
  extensions: [Migrator],
  schemaGenerator: { skipTables: BETTER_AUTH_TABLES },
  discovery: { warnWhenNoEntities: false },
  debug: false,
} satisfies Partial<Options>;

/** Fail fast while the database is away, so requests get a quick 503 instead of hanging. */
function poolOf(size: number) {
  return { min: 0, max: size, acquireTimeoutMillis: 5_000, idleTimeoutMillis: 30_000 };
}

/** Where MikroORM's and its query builder's own messages go. */
export interface OrmLog {
  debug(message: string): void;
  warn(message: string): void;
}

const SILENT: OrmLog = { debug: () => undefined, warn: () => undefined };

/** Connects MikroORM to the configured database. */
export async function createOrm(database: DatabaseConfig, log: OrmLog = SILENT): Promise<MikroORM> {
  const knexLog = { warn: log.warn, error: log.warn, deprecate: log.debug, debug: log.debug };
  const options = { ...common, logger: log.debug };
  if (database.kind === 'sqlite') {
    mkdirSync(dirname(database.path), { recursive: true });
    return MikroORM.init({
      ...options,
      // One connection: SQLite has one writer, and transactions on two handles would collide.
      pool: poolOf(1),
      entities: entitiesFor('sqlite'),
      migrations: migrationsFor('sqlite'),
      driver: BetterSqliteDriver,
      dbName: database.path,
      driverOptions: { log: knexLog },
    });
  }
  return MikroORM.init({
    ...options,
    pool: poolOf(database.poolSize ?? DEFAULT_POOL_SIZE),
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
  await orm.getMigrator().up();
}
