import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { MikroORM } from '@mikro-orm/core';
import type { Task } from '../../src/domain/task/task.js';
import {
  createOrm,
  migrateTasks,
} from '../../src/infrastructure/persistence/mikro-orm/mikro-orm.js';
import { MikroOrmTaskChangeFeed } from '../../src/infrastructure/persistence/mikro-orm/mikro-orm-task-change-feed.js';
import { MikroOrmTaskRepository } from '../../src/infrastructure/persistence/mikro-orm/mikro-orm-task-repository.js';
import { aTask } from '../support/task-builder.js';
import { createPostgresDatabase, type TestDatabase } from '../support/test-database.js';

const OWNER = 'concurrent-owner';
const WRITES = 20;

/** Real parallel writes of one owner on PostgreSQL, each on a connection of its own. */
describe('the change feed under concurrent writes on PostgreSQL', () => {
  let database: TestDatabase;
  let orm: MikroORM;
  let repository: MikroOrmTaskRepository;
  let feed: MikroOrmTaskChangeFeed;

  beforeAll(async () => {
    database = await createPostgresDatabase('change_feed_concurrency');
    orm = await createOrm({ ...database.config, poolSize: WRITES + 2 } as typeof database.config);
    await migrateTasks(orm);
    repository = new MikroOrmTaskRepository(orm);
    feed = new MikroOrmTaskChangeFeed(orm);
  });

  afterAll(async () => {
    await orm?.close(true);
    await database?.drop();
  });

  beforeEach(async () => {
    for (const table of ['task', 'task_count', 'task_change'])
      await orm.em.getConnection().execute(`delete from "${table}"`);
  });

  /** Reads the feed until `done` settles; every read must show numbers 1..k, none missing. */
  async function watchForGaps(done: Promise<unknown>): Promise<number> {
    let settled = false;
    void done.finally(() => (settled = true));
    let reads = 0;
    while (!settled) {
      const seqs = (await feed.changesSince(OWNER, 0, 1000)).map((change) => change.seq);
      expect(seqs).toEqual(seqs.map((_, i) => i + 1));
      reads++;
    }
    return reads;
  }

  it('numbers 20 concurrent adds 1 to 20, and no reader ever sees a later one before an earlier', async () => {
    const tasks = Array.from({ length: WRITES }, (_, i) =>
      aTask().ownedBy(OWNER).titled(`Task ${i}`).build(),
    );
    const writes = Promise.all(tasks.map((task) => repository.add(task)));

    const reads = await watchForGaps(writes);

    expect(await writes).toEqual(tasks.map(() => 'added'));
    expect(reads).toBeGreaterThan(0);
    const changes = await feed.changesSince(OWNER, 0, 1000);
    expect(changes.map((change) => change.seq)).toEqual(tasks.map((_, i) => i + 1));
    expect(new Set(changes.map((change) => ('task' in change ? change.task.id : null)))).toEqual(
      new Set(tasks.map((task) => task.id)),
    );
    await expect(feed.latestSeq(OWNER)).resolves.toBe(WRITES);
  });

  it('gives 20 concurrent updates and deletes distinct numbers after the adds, gap-free', async () => {
    const tasks: Task[] = [];
    for (let i = 0; i < WRITES; i++) {
      const task = aTask().ownedBy(OWNER).titled(`Task ${i}`).build();
      await repository.add(task);
      tasks.push(task);
    }

    const outcomes = await Promise.all(
      tasks.map(async (task, i) => {
        if (i % 2 === 0) return repository.removeOwned(OWNER, task.id);
        task.edit({ title: `Renamed ${i}` }, new Date());
        return repository.update(task, 1);
      }),
    );

    expect(outcomes).toEqual(tasks.map(() => 'done'));
    const seqs = (await feed.changesSince(OWNER, WRITES, 1000)).map((change) => change.seq);
    expect(seqs).toEqual(tasks.map((_, i) => WRITES + i + 1));
    await expect(feed.latestSeq(OWNER)).resolves.toBe(2 * WRITES);
  });

  it('numbers only the write that wins a race: the others roll back and leave no gap', async () => {
    const task = aTask().ownedBy(OWNER).build();
    await repository.add(task);

    const outcomes = await Promise.all(
      Array.from({ length: WRITES }, async (_, i) => {
        const copy = (await repository.findOwned(OWNER, task.id))!;
        copy.edit({ title: `Attempt ${i}` }, new Date());
        return repository.update(copy, 1);
      }),
    );

    expect(outcomes.filter((outcome) => outcome === 'done')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome === 'changed')).toHaveLength(WRITES - 1);
    await expect(feed.latestSeq(OWNER)).resolves.toBe(2);
    await repository.add(aTask().ownedBy(OWNER).build());
    const seqs = (await feed.changesSince(OWNER, 0, 1000)).map((change) => change.seq);
    expect(seqs).toEqual([2, 3]);
  });
});
