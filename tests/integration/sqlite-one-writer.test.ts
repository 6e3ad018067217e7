import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Generated, Kysely } from 'kysely';
import { openDatabase, type Database } from '../../src/infrastructure/persistence/database.js';
import { aGate } from '../support/gate.js';
import { createSqliteDatabase, type TestDatabase } from '../support/test-database.js';

interface Tables {
  note: { id: Generated<number>; text: string };
}

/** Better Auth's queries and MikroORM's on the embedded database's one connection. */
describe('one SQLite writer shared by Better Auth and MikroORM', () => {
  let file: TestDatabase;
  let database: Database;
  let auth: Kysely<Tables>;

  beforeAll(async () => {
    file = createSqliteDatabase();
    database = await openDatabase(file.config, { debug: () => undefined, warn: () => undefined });
    auth = (database.forBetterAuth as unknown as { db: Kysely<Tables> }).db;
    await orm().execute('create table "note" ("id" integer primary key, "text" text not null)');
  });

  afterAll(async () => {
    await database?.close();
    await file?.drop();
  });

  const orm = () => database.orm.em.getConnection();
  const notes = async () => {
    const rows: { text: string }[] = await orm().execute('select "text" from "note" order by "id"');
    return rows.map((row) => row.text);
  };
  const ormInsert = (text: string) =>
    orm().execute('insert into "note" ("text") values (?)', [text], 'run');

  it('runs in WAL mode with a busy timeout, on one connection', async () => {
    expect(await orm().execute('pragma journal_mode')).toEqual([{ journal_mode: 'wal' }]);
    expect(await orm().execute('pragma busy_timeout')).toEqual([{ timeout: 5000 }]);
    expect(database.poolState().inUse + database.poolState().idle).toBeLessThanOrEqual(1);
  });

  it('commits, or rolls back, a write made inside a Better Auth transaction with it', async () => {
    await auth.transaction().execute(async (trx) => {
      await trx.insertInto('note').values({ text: 'auth 1' }).execute();
      await ormInsert('hook 1'); // a hook's write, joining the transaction
    });
    await expect(
      auth.transaction().execute(async (trx) => {
        await trx.insertInto('note').values({ text: 'auth 2' }).execute();
        await ormInsert('hook 2');
        throw new Error('the change is refused');
      }),
    ).rejects.toThrow('the change is refused');

    expect(await notes()).toEqual(['auth 1', 'hook 1']);
  });

  it('lets other writes through while a transaction has only read (a sign-up hashing)', async () => {
    const hashing = aGate<void>();
    const transaction = auth.transaction().execute(async (trx) => {
      await trx.selectFrom('note').selectAll().execute();
      await hashing.promise;
      await trx.insertInto('note').values({ text: 'after hashing' }).execute();
    });

    await ormInsert('meanwhile'); // would wait for the gate if the transaction held the connection
    hashing.open();
    await transaction;

    expect((await notes()).slice(-2)).toEqual(['meanwhile', 'after hashing']);
  });

  it('queues other writes behind a transaction that has written, until it ends', async () => {
    const order: string[] = [];
    const written = aGate<void>();
    const finish = aGate<void>();
    const transaction = auth.transaction().execute(async (trx) => {
      await trx.insertInto('note').values({ text: 'first' }).execute();
      written.open();
      await finish.promise;
      order.push('transaction ends');
    });
    await written.promise;

    const other = ormInsert('second').then(() => order.push('other write done'));
    // Time enough for a write that did not wait to finish (better-sqlite3 runs it at once).
    await new Promise((resolve) => setTimeout(resolve, 100));
    order.push('gate opened');
    finish.open();
    await Promise.all([transaction, other]);

    expect(order).toEqual(['gate opened', 'transaction ends', 'other write done']);
    expect((await notes()).slice(-2)).toEqual(['first', 'second']);
  });
});
