import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { pino } from 'pino';
import { InProcessLiveSignals } from '../../src/infrastructure/live/in-process-live-signals.js';
import {
  LISTEN_APPLICATION_NAME,
  PostgresLiveSignals,
} from '../../src/infrastructure/persistence/postgres/postgres-live-signals.js';
import { createPostgresDatabase, type TestDatabase } from '../support/test-database.js';
import { eventually } from '../support/waiting.js';
import { liveSignalsContract } from './live-signals.contract.js';

const silent = pino({ level: 'silent' });

liveSignalsContract('InProcessLiveSignals', async () => {
  const signals = new InProcessLiveSignals();
  return { signals, other: signals, close: async () => undefined };
});

describe('PostgresLiveSignals', () => {
  let db: TestDatabase;
  let url: string;
  let pool: pg.Pool;

  beforeAll(async () => {
    db = await createPostgresDatabase('live_signals');
    if (db.config.kind !== 'postgres') throw new Error('needs PostgreSQL');
    url = db.config.url;
    pool = new pg.Pool({ connectionString: url, max: 2 });
  });

  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  /** An instance's signals: its own listening connection, notifying through the shared pool. */
  async function instance(checkEveryMs = 1_000): Promise<PostgresLiveSignals> {
    const signals = new PostgresLiveSignals(
      {
        url,
        checkEveryMs,
        answerWithinMs: 5_000,
        notify: async (channel, payload) => {
          await pool.query('select pg_notify($1, $2)', [channel, payload]);
        },
      },
      silent,
    );
    await signals.start();
    return signals;
  }

  liveSignalsContract('PostgresLiveSignals (two instances)', async () => {
    const [signals, other] = await Promise.all([instance(), instance()]);
    return {
      signals,
      other,
      close: async () => void (await Promise.all([signals.stop(), other.stop()])),
    };
  });

  const listening = async () =>
    Number(
      (
        await pool.query<{ n: string }>(
          `select count(*) as n from pg_stat_activity
            where application_name = $1 and datname = current_database()`,
          [LISTEN_APPLICATION_NAME],
        )
      ).rows[0]?.n,
    );

  it('holds one connection for every topic, and tells every subscriber to catch up after it is cut', async () => {
    // An hour between checks: only reconnecting at once brings the connection back.
    const signals = await instance(60 * 60 * 1000);
    try {
      const resumed: string[] = [];
      const heard: string[] = [];
      for (const topic of ['revocations', 'task-changes'] as const) {
        signals.subscribe(topic, {
          onSignal: (payload) => heard.push(payload),
          onResume: () => resumed.push(topic),
        });
      }
      expect(await listening()).toBe(1);

      await pool.query(
        `select pg_terminate_backend(pid) from pg_stat_activity
          where application_name = $1 and datname = current_database()`,
        [LISTEN_APPLICATION_NAME],
      );

      await eventually(async () => expect(resumed.sort()).toEqual(['revocations', 'task-changes']));
      expect(await listening()).toBe(1);
      await signals.publish('task-changes', 'after-the-cut');
      await eventually(async () => expect(heard).toEqual(['after-the-cut']));
    } finally {
      await signals.stop();
    }
  });

  it('gives up on a connection that answers no check in time, and resumes on a new one', async () => {
    const signals = new PostgresLiveSignals(
      { url, checkEveryMs: 100, answerWithinMs: 300, notify: async () => undefined },
      silent,
    );
    await signals.start();
    try {
      let resumes = 0;
      signals.subscribe('task-changes', { onSignal: () => undefined, onResume: () => resumes++ });
      const [{ pid } = { pid: 0 }] = await signals.query<{ pid: number }>(
        'select pg_backend_pid() as pid',
      );
      // The connection's backend stops answering (as a partitioned network would).
      const holder = new pg.Client({ connectionString: url });
      await holder.connect();
      try {
        await holder.query('select pg_advisory_lock(42)');
        void signals.query('select pg_advisory_lock(42)').catch(() => undefined);
        await eventually(async () => expect(resumes).toBeGreaterThanOrEqual(1), 10_000);
      } finally {
        await holder.end();
      }
      const [{ pid: now } = { pid: 0 }] = await signals.query<{ pid: number }>(
        'select pg_backend_pid() as pid',
      );
      expect(now).not.toBe(pid);
    } finally {
      await signals.stop();
    }
  });
});
