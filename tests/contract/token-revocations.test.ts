import { afterAll, beforeAll, describe } from '@jest/globals';
import { pino } from 'pino';
import { openDatabase, type Database } from '../../src/infrastructure/persistence/database.js';
import { migrateTasks } from '../../src/infrastructure/persistence/mikro-orm/mikro-orm.js';
import { PostgresLiveSignals } from '../../src/infrastructure/persistence/postgres/postgres-live-signals.js';
import {
  databaseRevocations,
  type RevocationsService,
} from '../../src/infrastructure/persistence/token-revocations.js';
import { FixedClock } from '../support/fixed-clock.js';
import {
  createPostgresDatabase,
  createSqliteDatabase,
  type TestDatabase,
} from '../support/test-database.js';
import { tokenRevocationsContract } from './token-revocations.contract.js';

const START = '2026-06-01T12:00:00.000Z';
const silent = pino({ level: 'silent' });

describe.each([
  ['PostgreSQL', () => createPostgresDatabase('contract_revocations')],
  ['SQLite', async () => createSqliteDatabase()],
])('revocations in the database on %s', (name, createDatabase) => {
  let testDatabase: TestDatabase;
  let database: Database;
  const started: RevocationsService[] = [];
  const connections: PostgresLiveSignals[] = [];

  beforeAll(async () => {
    testDatabase = await createDatabase();
    database = await openDatabase(testDatabase.config, { debug: () => {}, warn: () => {} });
    await migrateTasks(database.orm);
  });

  afterAll(async () => {
    await Promise.all(started.map((service) => service.stop()));
    await Promise.all(connections.map((signals) => signals.stop()));
    await database?.close();
    await testDatabase?.drop();
  });

  async function startOne(clock: FixedClock): Promise<RevocationsService> {
    const { config } = database;
    const signals =
      config.kind === 'postgres'
        ? new PostgresLiveSignals(
            {
              url: config.url,
              checkEveryMs: 1_000,
              answerWithinMs: 5_000,
              notify: () => Promise.reject(new Error('revocations notify in their own write')),
            },
            silent,
          )
        : null;
    if (signals) connections.push(signals);
    const service = databaseRevocations(
      database,
      clock,
      silent,
      { maxStalenessSeconds: 30, purges: { everyMs: 60 * 60 * 1000 } },
      signals,
    );
    await service.start();
    started.push(service);
    return service;
  }

  tokenRevocationsContract(
    `database revocations on ${name}`,
    async () => {
      await database.orm.em.getConnection().execute('delete from "token_revocation"');
      const clock = new FixedClock(START);
      const service = await startOne(clock);
      return {
        revocations: service.revocations,
        clock,
        reread: async () => (await startOne(new FixedClock(START))).revocations,
        catchUp: () => service.refresh(),
      };
    },
    { persistent: true },
  );
});
