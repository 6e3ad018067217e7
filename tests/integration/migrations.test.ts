import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { MikroORM } from '@mikro-orm/core';
import pg from 'pg';
import { pino } from 'pino';
import { openServices, type Services } from '../../src/infrastructure/di/container.js';
import { TOKENS } from '../../src/infrastructure/di/tokens.js';
import { BETTER_AUTH_TABLES } from '../../src/infrastructure/config/database-config.js';
import {
  createPostgresDatabase,
  createSqliteDatabase,
  type TestDatabase,
} from '../support/test-database.js';
import { testServiceConfig } from '../support/test-service.js';
import { eventually } from '../support/waiting.js';

function servicesFor(db: TestDatabase): Promise<Services> {
  return openServices(testServiceConfig({ database: db.config }), {
    logger: pino({ level: 'silent' }),
  });
}

describe.each([
  ['PostgreSQL', () => createPostgresDatabase('migrations')],
  ['SQLite', async () => createSqliteDatabase()],
])('migrations on %s', (_name, createDatabase) => {
  let db: TestDatabase;
  let services: Services;
  let orm: MikroORM;

  beforeAll(async () => {
    db = await createDatabase();
    services = await servicesFor(db);
    orm = (await services.container.getAsync(TOKENS.Database)).orm;
    await services.migrate();
  });

  afterAll(async () => {
    await services?.close();
    await db?.drop();
  });

  it('creates Better Auth’s tables and the task table', async () => {
    const tables = await orm.em
      .getConnection()
      .execute<{ name: string }[]>(
        db.config.kind === 'postgres'
          ? "select table_name as name from information_schema.tables where table_schema = 'public'"
          : "select name from sqlite_master where type = 'table'",
      );
    const names = tables.map((t: { name: string }) => t.name);
    expect(names).toEqual(expect.arrayContaining([...BETTER_AUTH_TABLES, 'task']));
  });

  it('is idempotent: running it again changes nothing', async () => {
    await expect(services.migrate()).resolves.toBeUndefined();
    expect(await orm.getMigrator().getPendingMigrations()).toEqual([]);
  });

  it('builds exactly the table TaskSchema describes: MikroORM finds nothing to change', async () => {
    expect(await orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false })).toBe('');
  });

  it('serves the owner list from the (user_id, created_at, id) index', async () => {
    if (db.config.kind !== 'postgres') {
      const plan = await orm.em
        .getConnection()
        .execute<{ detail: string }[]>(
          `explain query plan select * from "task" where "user_id" = 'u' order by "created_at" desc, "id" desc limit 20`,
        );
      expect(plan.map((p: { detail: string }) => p.detail).join(' ')).toMatch(
        /USING INDEX task_user_created_idx/,
      );
      return;
    }
    const client = new pg.Client({ connectionString: db.config.url });
    await client.connect();
    try {
      await client.query('set enable_seqscan = off');
      const plan = await client.query(
        `explain select * from "task" where "user_id" = 'u' order by "created_at" desc, "id" desc limit 20`,
      );
      expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n')).toMatch(
        /Index Scan.*task_user_created_idx/,
      );
    } finally {
      await client.end();
    }
  });
});

describe('the migration lock on PostgreSQL', () => {
  let db: TestDatabase;
  let services: Services;

  beforeAll(async () => {
    db = await createPostgresDatabase('migration_lock');
    services = await servicesFor(db);
  });

  afterAll(async () => {
    await services?.close();
    await db?.drop();
  });

  it('waits while another instance holds it, then migrates', async () => {
    if (db.config.kind !== 'postgres') throw new Error('needs PostgreSQL');
    const other = new pg.Client({ connectionString: db.config.url });
    await other.connect();
    try {
      await other.query('begin');
      await other.query('select pg_advisory_xact_lock(727311904)');
      let finished = false;
      const migration = services.migrate().then(() => (finished = true));

      // The migration's connection shows up waiting for the lock, and nothing was created.
      await eventually(async () => {
        const { rows } = await other.query<{ waiting: string }>(
          `select count(*) as waiting from pg_locks where locktype = 'advisory' and not granted`,
        );
        expect(Number(rows[0]?.waiting)).toBe(1);
      });
      const tables = await other.query(`select to_regclass('public.task') as task`);
      expect(tables.rows[0]?.task).toBeNull();
      expect(finished).toBe(false);

      await other.query('commit');
      await migration;
      const after = await other.query(`select to_regclass('public.task') as task`);
      expect(after.rows[0]?.task).toBe('task');
    } finally {
      await other.end();
    }
  });
});
