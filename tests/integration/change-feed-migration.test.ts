import { afterEach, describe, expect, it } from '@jest/globals';
import type { MikroORM } from '@mikro-orm/core';
import {
  createOrm,
  migrateTasks,
} from '../../src/infrastructure/persistence/mikro-orm/mikro-orm.js';
import { MikroOrmTaskChangeFeed } from '../../src/infrastructure/persistence/mikro-orm/mikro-orm-task-change-feed.js';
import { MikroOrmTaskRepository } from '../../src/infrastructure/persistence/mikro-orm/mikro-orm-task-repository.js';
import { aTask } from '../support/task-builder.js';
import {
  createPostgresDatabase,
  createSqliteDatabase,
  type TestDatabase,
} from '../support/test-database.js';

const BEFORE_CHANGE_FEED = 'Migration20261207201700_add_idempotency_key_owner_age_index';
const id = (n: number): string => `00000000-0000-4000-8000-${n.toString().padStart(12, '0')}`;

/** Tasks stored before the change feed existed are in a full sync, numbered per owner. */
describe.each([
  ['PostgreSQL', () => createPostgresDatabase('change_feed_migration')],
  ['SQLite', async () => createSqliteDatabase()],
])('the change feed migration on %s', (_name, createDatabase) => {
  let db: TestDatabase;
  let orm: MikroORM;

  afterEach(async () => {
    await orm?.close(true);
    await db?.drop();
  });

  it('gives every existing task a change, in the order of their last write, and numbers on from there', async () => {
    db = await createDatabase();
    orm = await createOrm(db.config);
    await orm.getMigrator().up({ to: BEFORE_CHANGE_FEED });
    const connection = orm.em.getConnection();
    const insert = `insert into "task" ("id", "user_id", "title", "created_at", "updated_at") values (?, ?, ?, ?, ?)`;
    const at = (day: number) => new Date(Date.UTC(2026, 0, day));
    await connection.execute(insert, [id(1), 'ada', 'second', at(1), at(5)]);
    await connection.execute(insert, [id(2), 'ada', 'first', at(2), at(3)]);
    await connection.execute(insert, [id(3), 'bob', 'only', at(1), at(1)]);
    // Ada's count row exists; Bob's does not (as for tasks older than the count).
    await connection.execute(`insert into "task_count" ("user_id", "tasks") values ('ada', 2)`);

    await migrateTasks(orm);

    const feed = new MikroOrmTaskChangeFeed(orm);
    const brief = async (owner: string) =>
      (await feed.changesSince(owner, 0, 10)).map((c) => [c.seq, 'task' in c ? c.task.title : c]);
    expect(await brief('ada')).toEqual([
      [1, 'first'],
      [2, 'second'],
    ]);
    expect(await brief('bob')).toEqual([[1, 'only']]);
    await expect(feed.latestSeq('ada')).resolves.toBe(2);
    await expect(feed.latestSeq('bob')).resolves.toBe(1);
    const tasks = new MikroOrmTaskRepository(orm);
    await tasks.add(aTask().ownedBy('bob').titled('new').build(), 2);
    expect(await brief('bob')).toEqual([
      [1, 'only'],
      [2, 'new'],
    ]);
    // Bob's count was filled in too: his limit of 2 is reached.
    await expect(tasks.add(aTask().ownedBy('bob').build(), 2)).resolves.toBe('limit-reached');
  });
});
