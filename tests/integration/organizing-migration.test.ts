import { afterEach, describe, expect, it } from '@jest/globals';
import type { MikroORM } from '@mikro-orm/core';
import {
  createOrm,
  migrateTasks,
} from '../../src/infrastructure/persistence/mikro-orm/mikro-orm.js';
import { MikroOrmTaskRepository } from '../../src/infrastructure/persistence/mikro-orm/mikro-orm-task-repository.js';
import {
  createPostgresDatabase,
  createSqliteDatabase,
  type TestDatabase,
} from '../support/test-database.js';
import { aTask } from '../support/task-builder.js';

const BEFORE_ORGANIZING = 'Migration20261130163922_add_task_count_closed_until';
const OWNER = 'owner-1';
const CREATED = new Date('2026-01-01T00:00:00.000Z');
const UPDATED = new Date('2026-02-01T00:00:00.000Z');

/** Tasks stored before priorities, tags and search existed keep working after the migration. */
describe.each([
  ['PostgreSQL', () => createPostgresDatabase('organizing_migration')],
  ['SQLite', async () => createSqliteDatabase()],
])('the organizing migration on %s', (_name, createDatabase) => {
  let db: TestDatabase;
  let orm: MikroORM;

  afterEach(async () => {
    await orm?.close(true);
    await db?.drop();
  });

  it('fills in existing tasks: searchable, completed at their last change, default fields', async () => {
    db = await createDatabase();
    orm = await createOrm(db.config);
    await orm.getMigrator().up({ to: BEFORE_ORGANIZING });
    const insert = `insert into "task" ("id", "user_id", "title", "description", "completed", "created_at", "updated_at", "version") values (?, ?, ?, ?, ?, ?, ?, 1)`;
    const connection = orm.em.getConnection();
    await connection.execute(insert, [
      '00000000-0000-4000-8000-000000000001',
      OWNER,
      'ΟΔΟΣ Rent',
      'Ask Über',
      true,
      CREATED,
      UPDATED,
    ]);
    await connection.execute(insert, [
      '00000000-0000-4000-8000-000000000002',
      OWNER,
      'Other',
      null,
      false,
      CREATED,
      CREATED,
    ]);

    await migrateTasks(orm);

    const tasks = new MikroOrmTaskRepository(orm);
    const found = await tasks.list({
      ownerId: OWNER,
      status: 'all',
      text: 'οδοσ rent',
      sort: 'createdAt',
      order: 'asc',
      limit: 10,
    });
    expect(found.map((task) => task.toSnapshot())).toEqual([
      aTask()
        .withId('00000000-0000-4000-8000-000000000001')
        .ownedBy(OWNER)
        .titled('ΟΔΟΣ Rent')
        .describedAs('Ask Über')
        .completed()
        .createdAtIso(CREATED.toISOString())
        .updatedAtIso(UPDATED.toISOString())
        .buildSnapshot(),
    ]);
    const byDescription = await tasks.list({
      ownerId: OWNER,
      status: 'all',
      text: 'über',
      sort: 'createdAt',
      order: 'asc',
      limit: 10,
    });
    expect(byDescription).toHaveLength(1);
    expect(
      (await tasks.findOwned(OWNER, '00000000-0000-4000-8000-000000000002'))?.completedAt,
    ).toBeNull();
  });
});
