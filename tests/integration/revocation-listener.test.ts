import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { pino } from 'pino';
import { RevocationList } from '../../src/infrastructure/auth/revocation-list.js';
import { openDatabase, type Database } from '../../src/infrastructure/persistence/database.js';
import { migrateTasks } from '../../src/infrastructure/persistence/mikro-orm/mikro-orm.js';
import {
  LISTEN_APPLICATION_NAME,
  PostgresLiveSignals,
} from '../../src/infrastructure/persistence/postgres/postgres-live-signals.js';
import { PostgresRevocationListener } from '../../src/infrastructure/persistence/postgres/revocation-listener.js';
import { SystemClock } from '../../src/infrastructure/system/system-clock.js';
import { createPostgresDatabase, type TestDatabase } from '../support/test-database.js';
import { eventually } from '../support/waiting.js';

const HOUR_MS = 60 * 60 * 1000;
const IN_A_DAY = () => new Date(Date.now() + 24 * HOUR_MS);

/** PostgresRevocationListener on its own: how a revocation reaches it besides a notification. */
describe('the revocation listener', () => {
  let db: TestDatabase;
  let database: Database;
  let admin: pg.Client;
  const listeners: { stop(): Promise<void> }[] = [];

  beforeAll(async () => {
    db = await createPostgresDatabase('revocation_listener');
    if (db.config.kind !== 'postgres') throw new Error('needs PostgreSQL');
    database = await openDatabase(db.config, { debug: () => {}, warn: () => {} });
    await migrateTasks(database.orm);
    admin = new pg.Client({ connectionString: db.config.url });
    await admin.connect();
  });

  afterEach(async () => {
    await Promise.all(listeners.splice(0).map((listener) => listener.stop()));
  });

  afterAll(async () => {
    await admin?.end();
    await database?.close();
    await db?.drop();
  });

  async function startListener(pollMs: number, answerWithinMs = pollMs) {
    if (db.config.kind !== 'postgres') throw new Error('needs PostgreSQL');
    const list = new RevocationList();
    const silent = pino({ level: 'silent' });
    const signals = new PostgresLiveSignals(
      {
        url: db.config.url,
        checkEveryMs: pollMs,
        answerWithinMs,
        notify: () => Promise.reject(new Error('not used')),
      },
      silent,
    );
    const listener = new PostgresRevocationListener(
      { maxStalenessMs: 30_000, pollMs, answerWithinMs },
      signals,
      list,
      new SystemClock(),
      silent,
    );
    await listener.start();
    listeners.push(listener, signals);
    return list;
  }

  /** Ends a session as an issuer does, the notification included unless `notify` is false. */
  async function endSession(sessionId: string, notify = true): Promise<void> {
    const insert = `insert into "token_revocation"
      ("kind", "subject", "issued_before", "expires_at", "recorded_at")
      values ('session', $1, null, $2, now())`;
    await admin.query(insert, [sessionId, IN_A_DAY()]);
    if (notify) {
      const payload = {
        kind: 'session',
        subject: sessionId,
        issuedBefore: null,
        expiresAt: IN_A_DAY(),
      };
      await admin.query('select pg_notify($1, $2)', ['token_revocation', JSON.stringify(payload)]);
    }
  }

  const ended = (list: RevocationList, sessionId: string) =>
    list.isRevoked({ userId: 'someone', sessionId, issuedAt: 0 }, Date.now());

  const listening = async () =>
    (
      await admin.query<{ n: number }>(
        `select count(*)::int as n from pg_stat_activity
          where application_name = $1 and datname = current_database()`,
        [LISTEN_APPLICATION_NAME],
      )
    ).rows[0]?.n;

  it('reconnects and catches up as soon as its connection is killed, not at the next poll', async () => {
    // An hour between polls: only reconnecting at once can bring the revocation in.
    const list = await startListener(HOUR_MS);
    await admin.query(
      `select pg_terminate_backend(pid) from pg_stat_activity
        where application_name = $1 and datname = current_database()`,
      [LISTEN_APPLICATION_NAME],
    );
    await endSession('ended-while-cut-off');

    await eventually(async () => expect(ended(list, 'ended-while-cut-off')).toBe(true), 20_000);
    await eventually(async () => expect(await listening()).toBe(1), 20_000);
  });

  it('applies, at its next poll, a revocation whose notification never came', async () => {
    const list = await startListener(100);
    await endSession('never-notified', false);

    await eventually(async () => expect(ended(list, 'never-notified')).toBe(true), 20_000);
  });
});
